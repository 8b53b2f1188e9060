package dev.autodiff.core.trace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autodiff.core.Gradients;
import dev.autodiff.core.Node;
import dev.autodiff.core.Op;
import dev.autodiff.core.Tape;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

class ExplanationTest {

  /** Seed 000's network. */
  static Gradients seed000() {
    Tape tape = new Tape();
    Node x = tape.constant("x", new DMatrixRMaj(2, 1, true, 6, 3));
    Node y = tape.constant("y", new DMatrixRMaj(2, 1, true, 3, 5));
    Node W = tape.variable("W", new DMatrixRMaj(new double[][] {{.3, .5}, {.2, .7}, {.1, .4}}));
    Node b = tape.variable("b", new DMatrixRMaj(3, 1, true, .1, .2, .3));
    Node M = tape.variable("M", new DMatrixRMaj(new double[][] {{.3, .5, .1}, {.2, .7, .8}}));
    Node c = tape.variable("c", new DMatrixRMaj(2, 1, true, .3, .5));
    Node h = W.matmul(x).add(b).named("u").relu().named("h");
    Node v = M.matmul(h).add(c).named("v");
    Node L = y.sub(v).halfSquaredNorm().named("L");
    Node s = W.halfSquaredNorm().named("s1").add(M.halfSquaredNorm().named("s2")).named("s");
    return tape.backward(L.add(s).named("J"));
  }

  static Node node(Gradients g, String name) {
    return g.root().tape().nodes().stream().filter(n -> n.hasName() && n.name().equals(name))
        .findFirst().orElseThrow();
  }

  @Test
  void stepsComeInTheNotesOrderEachOnceItsGradientIsFinal() {
    Labels labels = new Labels(seed000().root());
    List<String> order = Explanation.of(seed000()).steps().stream()
        .map(s -> labels.of(s.node())).toList();
    assertEquals(List.of("J", "L", "s", "s1", "s2", "y − v", "v", "M·h", "c", "M", "h", "u", "W·x",
        "b", "W"), order);
  }

  @Test
  void termsAddUpToTheGradientsBackwardReturned() {
    Gradients g = seed000();
    for (Explanation.Step s : Explanation.of(g).steps()) {
      assertArrayEquals(g.get(s.node()).data, s.gradient().data, 0, s.node().name());
      if (s.terms().isEmpty()) {
        continue;
      }
      DMatrixRMaj sum = new DMatrixRMaj(s.node().rows(), s.node().cols());
      s.terms().forEach(t -> CommonOps_DDRM.addEquals(sum, t.value()));
      assertArrayEquals(s.gradient().data, sum.data, 1e-12, s.node().name());
    }
  }

  /**
   * A recorded backward is a graph like any other: a gradient penalty ½‖∂J/∂W‖² on seed 000, its
   * backward explained, runs through the nodes of J's backward, and its terms add up too.
   */
  @Test
  void aBackwardPassThroughARecordedBackwardIsExplainedAndItsTermsAddUp() {
    Gradients g = seed000();
    Tape tape = g.root().tape();
    Node W = node(g, "W");
    Node dW = tape.grad(g.root(), W).get(0);
    Gradients second = tape.backward(dW.halfSquaredNorm().named("P"));
    List<Explanation.Step> steps = Explanation.of(second).steps();
    assertTrue(steps.stream().anyMatch(s -> s.node() == dW), "∂J/∂W has a step of its own");
    assertTrue(steps.stream().anyMatch(s -> s.node().op() != null
        && s.node().op().name().equals("maskedBy")), "so does relu's masked gradient");
    for (Explanation.Step s : steps) {
      if (!s.terms().isEmpty()) {
        DMatrixRMaj sum = new DMatrixRMaj(s.node().rows(), s.node().cols());
        s.terms().forEach(t -> CommonOps_DDRM.addEquals(sum, t.value()));
        assertArrayEquals(s.gradient().data, sum.data, 1e-12, s.node().name());
      }
    }
    StringBuilder text = new StringBuilder();
    Explanation.of(second).only(W).text(text);
    // ∂P/∂W = ∂J/∂W + its flow through the forward pass: ∂J/∂W = [1.176 …] plus more
    assertTrue(text.toString().startsWith("∂P/∂W = prod("), text.toString());
  }

  @Test
  void theTwoTermsOfDJdMAreDJdvHTransposeAndM() {
    Gradients g = seed000();
    Node M = node(g, "M");
    Explanation.Step step = Explanation.of(g).steps().stream().filter(s -> s.node() == M)
        .findFirst().orElseThrow();
    assertEquals(2, step.terms().size());
    // prod(∂J/∂s2, ∂s2/∂M) = M ; prod(∂J/∂(M·h), ∂(M·h)/∂M) = ∂J/∂v hᵀ = [.28; .31]·[3.4 3.5 2.1]
    assertArrayEquals(M.value().data, step.terms().get(0).value().data, 0);
    assertArrayEquals(new double[] {.952, .98, .588, 1.054, 1.085, .651},
        step.terms().get(1).value().data, 1e-12);
  }

  @Test
  void textShowsProdFormulaNumbersAndShape() {
    Gradients g = seed000();
    StringBuilder out = new StringBuilder();
    Explanation.of(g).only(node(g, "M")).text(out);
    assertEquals("""
        ∂J/∂M = prod(∂J/∂s2, ∂s2/∂M) + prod(∂J/∂v, ∂v/∂M)
              = ∂J/∂s2·M + ∂J/∂v·hᵀ
              = [0.3 0.5 0.1; 0.2 0.7 0.8] + [0.952 0.98 0.588; 1.054 1.085 0.651]
              = [1.252 1.48 0.688; 1.254 1.785 1.451]   (2×3)
        """, out.toString());
  }

  @Test
  void unfoldedEveryUnnamedNodeGetsItsOwnStep() {
    Gradients g = seed000();
    StringBuilder out = new StringBuilder();
    Explanation.of(g).fold(false).text(out);
    assertTrue(out.toString().contains("""
        ∂J/∂M = prod(∂J/∂s2, ∂s2/∂M) + prod(∂J/∂(M·h), ∂(M·h)/∂M)
              = ∂J/∂s2·M + ∂J/∂(M·h)·hᵀ
        """), out::toString);
    assertTrue(out.toString().contains("""
        ∂J/∂(M·h) = prod(∂J/∂v, ∂v/∂(M·h))
                  = ∂J/∂v
        """), out::toString);
    assertEquals(15, out.toString().lines().filter(l -> l.startsWith("∂J/∂")).count());
  }

  @Test
  void foldedNodesAreWrittenInsideTheirOneUse() {
    Gradients g = seed000();
    StringBuilder out = new StringBuilder();
    Explanation.of(g).text(out);
    // y − v, M·h and W·x are unnamed and used once: 12 steps, as in the notes
    assertEquals(12, out.toString().lines().filter(l -> l.startsWith("∂J/∂")).count());
    assertTrue(out.toString().contains("""
        ∂J/∂v = prod(∂J/∂L, ∂L/∂v)
              = −(∂J/∂L·(y − v))
              = [0.28; 0.31]   (2×1)
        """), out::toString);
  }

  @Test
  void onlyLimitsTheRenderedSteps() {
    Gradients g = seed000();
    StringBuilder out = new StringBuilder();
    Explanation.of(g).only(node(g, "W"), node(g, "h")).text(out);
    assertTrue(out.toString().startsWith("∂J/∂h = "), out::toString);
    assertTrue(out.toString().contains("\n∂J/∂W = "), out::toString);
    assertEquals(2, out.toString().lines().filter(l -> l.startsWith("∂J/∂")).count());
  }

  @Test
  void fanOutShowsEveryFlowSummed() {
    // (x + x) ⊙ x: three flows into x, through add's two inputs and mul's second
    Tape tape = new Tape();
    Node x = tape.variable("x", new DMatrixRMaj(1, 1, true, 3));
    Node y = x.add(x).named("a").mul(x).named("y");
    StringBuilder out = new StringBuilder();
    Explanation.of(tape.backward(y)).only(x).text(out);
    assertEquals("""
        ∂y/∂x = prod(∂y/∂y, ∂y/∂x) + prod(∂y/∂a, ∂a/∂x) + prod(∂y/∂a, ∂a/∂x)
              = ∂y/∂y ⊙ a + ∂y/∂a + ∂y/∂a
              = 6 + 3 + 3
              = 12   (1×1)
        """, out.toString());
  }

  @Test
  void aBroadcastOperandsGradientIsShownSummed() {
    Tape tape = new Tape();
    Node X = tape.constant("X", new DMatrixRMaj(3, 2, true, 1, 2, 3, 4, 5, 6));
    Node b = tape.variable("b", new DMatrixRMaj(1, 2, true, 1, 1));
    Node z = X.add(b).named("z");
    StringBuilder text = new StringBuilder();
    StringBuilder md = new StringBuilder();
    Explanation e = Explanation.of(tape.backward(z.sum().named("J"))).only(b);
    e.text(text);
    e.markdown(md);
    assertTrue(text.toString().contains("= Σ_rows(∂J/∂z)\n"), text::toString);
    assertTrue(text.toString().contains("= [3 3]   (1×2)"), text::toString);
    assertTrue(md.toString().contains("\\textstyle\\sum_{rows}\\left(\\frac{\\partial J}"
        + "{\\partial z}\\right)"), md::toString);
  }

  @Test
  void rowVectorIntoASmallMatmulShowsItsFlowsSummed() {
    // seed 004: a₁ feeds both z₁ and z₂ of the next layer; its two flows add up
    Tape tape = new Tape();
    Node a = tape.variable("a1", new DMatrixRMaj(1, 3, true, 0.5, -1, 2));
    Node W = tape.constant("W2", new DMatrixRMaj(new double[][] {{0.7, -0.5}, {0.2, 0.9},
        {0.4, 0.3}}));
    Node z = a.matmul(W).named("z2");
    Node J = z.mul(tape.constant("R", new DMatrixRMaj(1, 2, true, 2, 3))).sum().named("J");
    StringBuilder out = new StringBuilder();
    Explanation.of(tape.backward(J)).only(a).text(out);
    assertTrue(out.toString().contains("2 flows into a1[1], summed: ∂J/∂z2[1]·W2[1,1] + "
        + "∂J/∂z2[2]·W2[1,2]\n"), out::toString);
    // ∂J/∂z2 = [2 3]: 2·0.7 + 3·(−0.5) = −0.1
    assertTrue(out.toString().contains("= 2·0.7 + 3·(-0.5) = -0.1\n"), out::toString);
  }

  @Test
  void customOpsTakePartWithTheirOwnOrAGenericLabel() {
    Op twice = new Op() {
      @Override
      public String name() {
        return "twice";
      }

      @Override
      public DMatrixRMaj forward(Node... x) {
        DMatrixRMaj y = x[0].value().copy();
        CommonOps_DDRM.scale(2, y);
        return y;
      }

      @Override
      public void backward(DMatrixRMaj g, DMatrixRMaj y, Node[] x, DMatrixRMaj[] gx) {
        CommonOps_DDRM.addEquals(gx[0], 2, g);
      }
    };
    Tape tape = new Tape();
    Node z = tape.variable("z", new DMatrixRMaj(1, 2, true, 1, 2));
    Node y = z.apply(twice).named("y");
    StringBuilder out = new StringBuilder();
    Explanation.of(tape.backward(y.sum().named("J"))).only(z).text(out);
    assertTrue(out.toString().contains("= ∂J/∂y·∂twice/∂z\n"), out::toString);
    assertTrue(out.toString().contains("= [2 2]   (1×2)"), out::toString);
  }

  @Test
  void largeMatricesAreSummarised() {
    Tape tape = new Tape();
    DMatrixRMaj big = new DMatrixRMaj(5, 5);
    CommonOps_DDRM.fill(big, 2);
    Node W = tape.variable("W", big);
    StringBuilder out = new StringBuilder();
    Explanation.of(tape.backward(W.halfSquaredNorm().named("J"))).maxEntries(10).only(W)
        .text(out);
    assertTrue(out.toString().contains("= ⟨5×5, ‖·‖_F = 10, first [2 2 2 2 …]⟩   (5×5)"),
        out::toString);
  }

  @Test
  void forwardTextHasOneTypedLinePerNode() {
    StringBuilder out = new StringBuilder();
    Explanation.of(seed000()).forwardText(out);
    List<String> lines = out.toString().lines().toList();
    assertEquals(17, lines.size());
    assertEquals("W:3×2 = variable [0.3 0.5; 0.2 0.7; 0.1 0.4]", lines.get(2));
    assertEquals("v:2×1 = add(M·h:2×1, c:2×1) = [3.28; 5.31]", lines.get(10));
    assertEquals("J:1×1 = add(L:1×1, s:1×1) = 1.36725", lines.get(16));
  }

  @Test
  void markdownUsesTheNotesNotation() {
    StringBuilder md = new StringBuilder();
    Gradients g = seed000();
    Explanation.of(g).only(node(g, "W")).markdown(md);
    assertEquals("$$\\frac{\\partial J}{\\partial W} = \\text{prod}\\left(\\frac{\\partial J}"
        + "{\\partial s_{1}}, \\frac{\\partial s_{1}}{\\partial W}\\right) + \\text{prod}\\left("
        + "\\frac{\\partial J}{\\partial u}, \\frac{\\partial u}{\\partial W}\\right) = "
        + "\\frac{\\partial J}{\\partial s_{1}} W + \\frac{\\partial J}{\\partial u} x^T = "
        + "\\begin{bmatrix} 1.176 & 0.938 \\\\ 2.342 & 1.771 \\\\ 1.756 & 1.228 \\end{bmatrix}$$\n\n",
        md.toString());
  }

  @Test
  void numbersAreShortAndExact() {
    assertEquals("0.08725", Values.number(0.08724999999999994));
    assertEquals("-2000", Values.number(-2000));
    assertEquals("1.5e-12", Values.number(1.5e-12));
    assertEquals("2e-5", Values.number(2e-5));
    assertEquals("1.23457e8", Values.number(123456789));
    assertEquals("0", Values.number(-0.0));
    assertEquals("NaN", Values.number(Double.NaN));
    assertFalse(Values.matrix(new DMatrixRMaj(2, 2), 12).contains("⟨"));
  }
}
