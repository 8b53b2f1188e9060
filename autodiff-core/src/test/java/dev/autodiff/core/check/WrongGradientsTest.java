package dev.autodiff.core.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autodiff.core.Node;
import dev.autodiff.core.Op;
import dev.autodiff.core.Shape;
import dev.autodiff.core.check.OpCheck.Outcome;
import dev.autodiff.core.check.OpCheck.Part;
import dev.autodiff.core.check.OpCheck.Status;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The checker is itself tested to fail: a catalogue of wrong gradients, each a custom op with one
 * classic bug, each caught by the part of {@link OpCheck} meant for it with the message that names
 * the bug. In this engine the write-or-add decision is the engine's, so "assign instead of add"
 * can only live in an op's own code: a backward that special-cases a shared input, or one that
 * writes two terms of one input's gradient into the same buffer.
 */
class WrongGradientsTest {

  // ---- first order: the values of a gradient ----

  @Test
  void aGradientOffBy1Point001IsCaughtByTheFirstOrderCheck() {
    Outcome o = check(new Square(1.001), 2, 3).outcome(Part.FIRST_ORDER);
    assertFailed(o, "x0: analytic = 1.00100 × numeric on every element compared: a constant"
        + " factor");
  }

  @Test
  void aGradientOffBy2IsCaughtByTheFirstOrderCheck() {
    Outcome o = check(new Square(2), 2, 3).outcome(Part.FIRST_ORDER);
    assertFailed(o, "x0: analytic = 2.00000 × numeric on every element compared");
    // the details list the worst elements with both values and both errors
    assertTrue(o.details().contains("FAILED (6 of 6 elements)"), o::details);
    assertTrue(o.details().matches("(?s).*\\(\\d, \\d\\): analytic -?[0-9.]+  numeric -?[0-9.]+"
        + "  abs error [0-9.e+-]+  rel error 5.000e-01.*"), o::details);
  }

  @Test
  void aFlippedSignIsCaughtByTheFirstOrderCheck() {
    Outcome o = check(new Square(-1), 3, 2).outcome(Part.FIRST_ORDER);
    assertFailed(o, "x0: analytic = −numeric on every element compared: the sign is flipped");
  }

  @Test
  void aTransposedGradientIsCaughtByTheFirstOrderCheckOnSquareInputs() {
    Op transposed = op("expT", x -> exp(x), (i, y, g) -> g.mul(y).transpose());
    OpCheck.Report square = check(transposed, 3, 3);
    assertFailed(square.outcome(Part.FIRST_ORDER), "x0: the analytic gradient equals the numeric"
        + " one transposed");
    // on a non-square input the same bug breaks the shape contract first
    OpCheck.Report wide = check(transposed, 2, 3);
    assertFailed(wide.outcome(Part.SHAPE_CONTRACT), "expT: the gradient of input 0, x0 (2×3),"
        + " came back 3×2: each gradient must have its input's shape");
    assertEquals(Status.SKIPPED, wide.outcome(Part.FIRST_ORDER).status());
  }

  @Test
  void theGradientOfTheWrongInputIsCaughtByTheFirstOrderCheck() {
    // a ⊙ b with a ← g ⊙ a: input 1's gradient given for input 0
    Op wrong = op("mulWrong", x -> mul(x[0], x[1]), (i, y, g) -> g.mul(y.input(0)));
    Outcome o = OpCheck.of(wrong, 2).check(2, 3).outcome(Part.FIRST_ORDER);
    assertFailed(o, "x0: x0's analytic gradient equals x1's numeric gradient: the gradient of x1"
        + " is given for x0");
  }

  @Test
  void twoTermsOfOneGradientAssignedInsteadOfAddedAreCaughtByTheFirstOrderCheck() {
    // y = x·eˣ: its gradient g ⊙ (eˣ + x·eˣ) written as two terms, the second assigned
    Outcome o = check(new ProductRuleAssigned(), 2, 2).outcome(Part.FIRST_ORDER);
    assertFailed(o, "x0: analytic and numeric gradients differ at 4 of 4 elements");
    assertTrue(o.details().contains("(0, 0): analytic "), o::details);
  }

  @Test
  void aMissingContributionIsCaughtByTheFirstOrderCheck() {
    Op none = op("expNone", x -> exp(x), (i, y, g) -> null);
    assertFailed(check(none, 2, 2).outcome(Part.FIRST_ORDER), "x0: the analytic gradient is 0"
        + " where the numeric one is not: a contribution is missing");
  }

  // ---- the shape contract ----

  @Test
  void aBroadcastGradientNotSummedIsCaughtByTheShapeContract() {
    OpCheck.Report r = OpCheck.of(new BiasAddUnsummed()).check(new Shape(2, 3), new Shape(1, 3));
    assertFailed(r.outcome(Part.SHAPE_CONTRACT), "biasAdd: the gradient of input 1, x1 (1×3),"
        + " came back 2×3: each gradient must have its input's shape, and a broadcast input's"
        + " gradient is summed over the rows or columns it was broadcast along (sumTo)");
  }

  @Test
  void aForwardThatChangesItsInputBreaksTheShapeContract() {
    Op scribbles = op("scribbles", x -> {
      x[0].data[0] = 0; // the bug: a forward writing into its input
      return exp(x);
    }, (i, y, g) -> g.mul(y));
    assertFailed(check(scribbles, 2, 2).outcome(Part.SHAPE_CONTRACT), "forward changed input 0"
        + " (x0) at (0, 0)");
  }

  @Test
  void aBackwardThatChangesGBreaksTheShapeContract() {
    assertFailed(check(new ScalesG(), 2, 2).outcome(Part.SHAPE_CONTRACT),
        "backward changed g = ∂J/∂y, which it must only read");
  }

  // ---- second order ----

  @Test
  void aWrongSecondDerivativeIsCaughtByTheSecondOrderCheckAlone() {
    // y = x³ with x ← g ⊙ 3x² where 3x² is a value, not a node: right once, wrong twice
    Op detached = op("cube", x -> cube(x), (i, y, g) -> g.mul(y.tape().constant(
        threeSquared(y.input(0).value()))));
    OpCheck.Report r = check(detached, 2, 3);
    assertEquals(Status.PASSED, r.outcome(Part.FIRST_ORDER).status(), r::toString);
    assertFailed(r.outcome(Part.SECOND_ORDER), "the first derivatives pass but their own"
        + " derivatives do not: the vjp gives the right values, not as a function of the inputs");
    assertTrue(r.outcome(Part.SECOND_ORDER).summary().contains("x0: the analytic gradient is 0"
        + " where the numeric one is not"), r::toString);
  }

  @Test
  void aMatrixCodeGradientSkipsTheSecondOrderCheckSayingWhy() {
    OpCheck.Report r = OpCheck.of(new ProductAssignsSharedInput(), 2).check(2, 2);
    Outcome o = r.outcome(Part.SECOND_ORDER);
    assertEquals(Status.SKIPPED, o.status());
    assertTrue(o.summary().startsWith("mulShared is differentiable once"), o::summary);
  }

  // ---- fan-out, reuse, determinism ----

  @Test
  void assigningInsteadOfAddingForASharedInputIsCaughtByTheFanOutCheck() {
    OpCheck.Report r = OpCheck.of(new ProductAssignsSharedInput(), 2).check(2, 3);
    assertEquals(Status.PASSED, r.outcome(Part.FIRST_ORDER).status(), r::toString);
    assertFailed(r.outcome(Part.FAN_OUT), "with one node x as inputs 0 and 1, ∂J/∂x holds input"
        + " 0's contribution alone: backward assigns to the gradient of input 0 instead of adding"
        + " the other inputs' contributions");
  }

  @Test
  void anOpThatKeepsStateBetweenCallsIsCaughtByTheAppliedTwiceCheck() {
    OpCheck.Report r = check(new RemembersItsInput(), 2, 2);
    assertEquals(Status.PASSED, r.outcome(Part.FIRST_ORDER).status(), r::toString);
    assertFailed(r.outcome(Part.APPLIED_TWICE), "applied twice in one graph its gradient is wrong"
        + " while one application passes: the op keeps state between calls");
  }

  @Test
  void aGradientThatChangesFromRunToRunIsCaughtByTheDeterminismCheck() {
    OpCheck.Report r = check(new Jitters(), 2, 2);
    assertEquals(Status.PASSED, r.outcome(Part.FIRST_ORDER).status(), r::toString);
    assertFailed(r.outcome(Part.DETERMINISM), "two backwards of one graph gave different bits for"
        + " x0 at (0, 0)");
  }

  // ---- scale: ×2 caught whatever the loss's scale, tiny correct gradients pass ----

  @Test
  void aGradientOffBy2IsCaughtAtEveryLossScaleAndACorrectOneAlwaysPasses() {
    DMatrixRMaj x = new DMatrixRMaj(2, 3, true, 0.3, -1.2, 0.7, 1.9, -0.4, 0.8);
    for (double scale : new double[] {1e-7, 1e-3, 1, 1e4, 1e8}) {
      GradientCheck.Report wrong = GradientCheck.defaults()
          .check(v -> v.get(0).apply(new Square(2)).sum().scale(scale), x);
      assertFalse(wrong.passed(), () -> scale + "\n" + wrong);
      assertTrue(wrong.results().get(0).diagnosis().startsWith("analytic = 2.00000 × numeric"),
          wrong::toString);
      GradientCheck.Report right = GradientCheck.defaults()
          .check(v -> v.get(0).apply(new Square(1)).tanh().sum().scale(scale), x);
      assertTrue(right.passed(), () -> scale + "\n" + right);
    }
    // a fixed absolute tolerance of 1e-6 misses it on a loss scaled by 1e-7
    assertTrue(GradientCheck.defaults().tolerance(1e-6, 1e-5)
        .check(v -> v.get(0).apply(new Square(2)).sum().scale(1e-7), x).passed());
  }

  // ---- big inputs: sampled elements and random directions, seeded ----

  @Test
  void aGradientOffBy2IsCaughtBySampledElementsAndByRandomDirections() {
    GradientCheck sampled = GradientCheck.defaults().sampled(4, 7);
    OpCheck.Report r = check(new Square(2), 20, 30, sampled);
    Outcome o = r.outcome(Part.FIRST_ORDER);
    assertFailed(o, "x0: analytic = 2.00000 × numeric on every element compared");
    assertTrue(o.details().contains("4 random elements per variable, seed 7 checked"),
        o::details);
    assertTrue(o.details().contains("FAILED (4 of 4 elements)"), o::details);

    GradientCheck directions = GradientCheck.defaults().directions(2, 11);
    Outcome d = check(new Square(2), 20, 30, directions).outcome(Part.FIRST_ORDER);
    assertFailed(d, "x0: analytic = 2.00000 × numeric along every direction");
    assertTrue(d.details().contains("2 random directions per variable, seed 11 checked"),
        d::details);
    assertTrue(d.details().contains("direction 0: analytic "), d::details);
  }

  @Test
  void aKinkWithinEpsilonIsNamedAsOne() {
    // relu at x = 5e-7, inside ε of its kink: the numeric derivative is wrong, not the gradient
    GradientCheck.Report r = GradientCheck.defaults()
        .check(v -> v.get(0).relu().sum(), new DMatrixRMaj(1, 1, true, 5e-7));
    assertFalse(r.passed());
    assertTrue(r.results().get(0).diagnosis().startsWith("the numeric derivative at (0, 0) moves"
        + " with the step (0.750000 at ε, 1.00000 at ε/10): f has a kink or a jump within ε"),
        r::toString);
  }

  // ---- per-path terms: a wrong term is named even when the total is right ----

  @Test
  void aWrongTermIsNamedEvenWhenTheTotalIsRight() {
    // a ⊙ b with a ← g ⊙ (a + b) and b ← nothing: wrong terms, a right total for mul(x, x)
    Op lopsided = op("mulLopsided", x -> mul(x[0], x[1]),
        (i, y, g) -> i == 0 ? g.mul(y.input(0).add(y.input(1))) : null);
    DMatrixRMaj value = new DMatrixRMaj(2, 2, true, 0.5, -1.5, 1.25, 0.75);
    GradientCheck.defaults().check(v -> v.get(0).apply(lopsided, v.get(0)).sum(), value)
        .assertPassed();

    dev.autodiff.core.Tape tape = new dev.autodiff.core.Tape();
    Node x = tape.variable("x", value.copy());
    Node y = x.apply(lopsided, x).named("y");
    Node J = y.sum().named("J");
    GradientCheck.Report terms = GradientCheck.defaults().checkTerms(J);
    assertFalse(terms.passed(), terms::toString);
    assertEquals("prod(∂J/∂y, ∂y/∂x) [input 0]", terms.firstFailure().orElseThrow().name());
    assertTrue(terms.toString().contains("prod(∂J/∂y, ∂y/∂x) [input 1] 2×2"), terms::toString);
    assertTrue(terms.results().get(2).diagnosis().startsWith("the analytic gradient is 0"),
        terms::toString);
    // the sum's term, prod(∂J/∂J, ∂J/∂y), is right
    assertTrue(terms.results().get(0).passed(), terms::toString);
    assertEquals("prod(∂J/∂J, ∂J/∂y)", terms.results().get(0).name());
  }

  // ---- helpers and the wrong ops ----

  static OpCheck.Report check(Op op, int rows, int cols) {
    return OpCheck.of(op).check(rows, cols);
  }

  static OpCheck.Report check(Op op, int rows, int cols, GradientCheck settings) {
    return OpCheck.of(op).gradientCheck(settings).check(rows, cols);
  }

  static void assertFailed(Outcome o, String expected) {
    assertEquals(Status.FAILED, o.status(), o::toString);
    assertTrue(o.summary().startsWith(expected) || o.summary().contains(expected),
        () -> "expected the summary to contain\n" + expected + "\nbut it was\n" + o.summary());
  }

  interface Vjp {
    Node of(int i, Node y, Node g);
  }

  /** A custom op made of a forward on the input values and a vjp in Node operations. */
  static Op op(String name, java.util.function.Function<DMatrixRMaj[], DMatrixRMaj> forward,
      Vjp vjp) {
    return new Op() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public DMatrixRMaj forward(Node... x) {
        DMatrixRMaj[] v = new DMatrixRMaj[x.length];
        for (int i = 0; i < x.length; i++) {
          v[i] = x[i].value();
        }
        return forward.apply(v);
      }

      @Override
      public Node vjp(int i, Node y, Node g) {
        return vjp.of(i, y, g);
      }
    };
  }

  static DMatrixRMaj map(DMatrixRMaj a, java.util.function.DoubleUnaryOperator f) {
    DMatrixRMaj y = new DMatrixRMaj(a.numRows, a.numCols);
    for (int k = 0; k < a.getNumElements(); k++) {
      y.data[k] = f.applyAsDouble(a.data[k]);
    }
    return y;
  }

  static DMatrixRMaj exp(DMatrixRMaj[] x) {
    return map(x[0], Math::exp);
  }

  static DMatrixRMaj cube(DMatrixRMaj[] x) {
    return map(x[0], v -> v * v * v);
  }

  static DMatrixRMaj threeSquared(DMatrixRMaj x) {
    return map(x, v -> 3 * v * v);
  }

  static DMatrixRMaj mul(DMatrixRMaj a, DMatrixRMaj b) {
    DMatrixRMaj y = new DMatrixRMaj(a.numRows, a.numCols);
    for (int k = 0; k < a.getNumElements(); k++) {
      y.data[k] = a.data[k] * b.data[k];
    }
    return y;
  }

  /** y = x²;  x ← g ⊙ 2x, times a factor: 1 is right, 1.001, 2 and −1 are the classic slips. */
  static final class Square implements Op {
    private final double factor;

    Square(double factor) {
      this.factor = factor;
    }

    @Override
    public String name() {
      return "square";
    }

    @Override
    public DMatrixRMaj forward(Node... x) {
      return map(x[0].value(), v -> v * v);
    }

    @Override
    public Node vjp(int i, Node y, Node g) {
      return g.mul(y.input(0)).scale(2 * factor);
    }
  }

  /** y = a ⊙ b in matrix code, which for one node as both inputs writes its gradient once. */
  static final class ProductAssignsSharedInput implements Op {
    @Override
    public String name() {
      return "mulShared";
    }

    @Override
    public DMatrixRMaj forward(Node... x) {
      return mul(x[0].value(), x[1].value());
    }

    @Override
    public void backward(DMatrixRMaj g, DMatrixRMaj y, Node[] x, DMatrixRMaj[] gx) {
      double[] a = x[0].value().data;
      double[] b = x[1].value().data;
      if (x[0] == x[1]) { // the bug: "one node, one buffer", so input 0's term is written alone
        if (gx[0] != null) {
          for (int k = 0; k < g.getNumElements(); k++) {
            gx[0].data[k] = g.data[k] * b[k];
          }
        }
        return;
      }
      for (int k = 0; k < g.getNumElements(); k++) {
        if (gx[0] != null) {
          gx[0].data[k] += g.data[k] * b[k];
        }
        if (gx[1] != null) {
          gx[1].data[k] += g.data[k] * a[k];
        }
      }
    }
  }

  /** y = x·eˣ in matrix code, its gradient's second term assigned over the first. */
  static final class ProductRuleAssigned implements Op {
    @Override
    public String name() {
      return "xExp";
    }

    @Override
    public DMatrixRMaj forward(Node... x) {
      return map(x[0].value(), v -> v * Math.exp(v));
    }

    @Override
    public void backward(DMatrixRMaj g, DMatrixRMaj y, Node[] x, DMatrixRMaj[] gx) {
      double[] a = x[0].value().data;
      for (int k = 0; k < g.getNumElements(); k++) {
        gx[0].data[k] += g.data[k] * Math.exp(a[k]);
        gx[0].data[k] = g.data[k] * a[k] * Math.exp(a[k]); // the bug: = where += belongs
      }
    }
  }

  /** y = a ⊕ b for a 1×n row b added to every row of a; b's gradient not summed over the rows. */
  static final class BiasAddUnsummed implements Op {
    @Override
    public String name() {
      return "biasAdd";
    }

    @Override
    public DMatrixRMaj forward(Node... x) {
      DMatrixRMaj a = x[0].value();
      DMatrixRMaj b = x[1].value();
      if (b.numRows != 1 || b.numCols != a.numCols) {
        throw new IllegalArgumentException("biasAdd: needs a 1×" + a.numCols + " row");
      }
      DMatrixRMaj y = new DMatrixRMaj(a.numRows, a.numCols);
      for (int k = 0; k < a.getNumElements(); k++) {
        y.data[k] = a.data[k] + b.data[k % a.numCols];
      }
      return y;
    }

    @Override
    public Node vjp(int i, Node y, Node g) {
      return g; // the bug: b ← g where b ← Σ_rows g belongs
    }
  }

  /** y = eˣ whose matrix-code backward scales g in place, then reads it. */
  static final class ScalesG implements Op {
    @Override
    public String name() {
      return "expScalesG";
    }

    @Override
    public DMatrixRMaj forward(Node... x) {
      return map(x[0].value(), Math::exp);
    }

    @Override
    public void backward(DMatrixRMaj g, DMatrixRMaj y, Node[] x, DMatrixRMaj[] gx) {
      for (int k = 0; k < g.getNumElements(); k++) {
        g.data[k] *= y.data[k]; // the bug: g is ∂J/∂y, to be read, not a scratch buffer
        gx[0].data[k] += g.data[k];
      }
    }
  }

  /** y = x² remembering x in a field at forward, read by backward: the last call's x. */
  static final class RemembersItsInput implements Op {
    private DMatrixRMaj last;

    @Override
    public String name() {
      return "squareStateful";
    }

    @Override
    public DMatrixRMaj forward(Node... x) {
      last = x[0].value();
      return map(last, v -> v * v);
    }

    @Override
    public void backward(DMatrixRMaj g, DMatrixRMaj y, Node[] x, DMatrixRMaj[] gx) {
      for (int k = 0; k < g.getNumElements(); k++) {
        gx[0].data[k] += 2 * g.data[k] * last.data[k];
      }
    }
  }

  /** y = x² whose backward adds noise far below any tolerance: right, but not reproducible. */
  static final class Jitters implements Op {
    private final Random random = new Random(5);

    @Override
    public String name() {
      return "squareJitters";
    }

    @Override
    public DMatrixRMaj forward(Node... x) {
      return map(x[0].value(), v -> v * v);
    }

    @Override
    public void backward(DMatrixRMaj g, DMatrixRMaj y, Node[] x, DMatrixRMaj[] gx) {
      double[] a = x[0].value().data;
      for (int k = 0; k < g.getNumElements(); k++) {
        gx[0].data[k] += 2 * g.data[k] * a[k] * (1 + 1e-15 * random.nextGaussian());
      }
    }
  }
}
