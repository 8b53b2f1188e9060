package dev.autodiff.core.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autodiff.core.Node;
import dev.autodiff.core.Op;
import dev.autodiff.core.Shape;
import dev.autodiff.core.check.OpCheck.Part;
import dev.autodiff.core.check.OpCheck.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/** OpCheck's API: what it runs, where it draws inputs, what it says. */
class OpCheckTest {

  @Test
  void builtInsPassEveryPartOverTheStandardShapes() {
    for (UnaryOperator<Node> f : List.<UnaryOperator<Node>>of(Node::relu, Node::log, Node::sqrt,
        Node::tanh, Node::softmax, Node::logSoftmax, Node::frobeniusNorm, Node::transpose)) {
      OpCheck.Report r = OpCheck.of(f).checkEach(s -> List.of(s)).assertPassed();
      assertEquals(6, r.cases().size());
      for (OpCheck.Case c : r.cases()) {
        assertEquals(Status.PASSED, c.outcome(Part.SECOND_ORDER).status(), c::toString);
        assertEquals(Status.PASSED, c.outcome(Part.FAN_OUT).status(), c::toString);
      }
    }
    OpCheck.of(Node::add).checkEach(s -> List.of(s, new Shape(1, s.cols()))).assertPassed();
    OpCheck.of(Node::div).checkEach(s -> List.of(new Shape(s.rows(), 1), s)).assertPassed();
    OpCheck.of(Node::matmul).checkEach(s -> List.of(s, new Shape(s.cols(), 2))).assertPassed();
  }

  @Test
  void theReportNamesTheOpItsShapesAndSeed() {
    OpCheck.Report r = OpCheck.of(Node::matmul).seed(5).check(new Shape(2, 3), new Shape(3, 4));
    assertEquals("matmul: all 1 case passed\nmatmul on x0 2×3, x1 3×4 (seed 5): passed",
        r.toString());
    // a function of several ops is named after them, outermost first
    assertEquals("mul∘step", OpCheck.of(x -> x.step().mul(x)).check(2, 2).op());
  }

  @Test
  void oneNodeAsBothOperandsOfAProductNeedsASquareShapeAndGetsIt() {
    OpCheck.Report r = OpCheck.of(Node::matmul).check(new Shape(2, 3), new Shape(3, 4));
    assertEquals(Status.PASSED, r.outcome(Part.FAN_OUT).status());
    assertTrue(r.outcome(Part.FAN_OUT).details().contains("x          4×4"),
        () -> r.outcome(Part.FAN_OUT).details());
  }

  @Test
  void anOpThatTakesNoSharedInputSkipsTheSharedPartSayingWhy() {
    // a times a 1×1 b: one node cannot be both
    Op scaleBy = WrongGradientsTest.op("scaleBy", x -> {
      if (x[1].getNumElements() != 1) {
        throw new IllegalArgumentException("scaleBy: b must be 1×1");
      }
      DMatrixRMaj y = x[0].copy();
      for (int k = 0; k < y.getNumElements(); k++) {
        y.data[k] = x[0].data[k] * x[1].data[0];
      }
      return y;
    }, (i, y, g) -> i == 0 ? g.mul(y.input(1)) : g.mul(y.input(0)).sum());
    OpCheck.Report r = OpCheck.of(scaleBy, 2).check(new Shape(2, 3), new Shape(1, 1))
        .assertPassed();
    assertEquals(Status.SKIPPED, r.outcome(Part.FAN_OUT).status());
    assertEquals("scaleBy accepts no shapes with one node as inputs [0, 1] (tried [2×3, 3×3])",
        r.outcome(Part.FAN_OUT).summary());
  }

  @Test
  void inputsAreDrawnInTheDomainAndAwayFromKinks() {
    assertAllDrawn(x -> x.log(), v -> v >= 0.1);                   // POSITIVE: (0.1, 2]
    assertAllDrawn(x -> x.relu(), v -> Math.abs(v) >= 0.1);        // its kink at 0
    assertAllDrawn(x -> x.tanh(), v -> Math.abs(v) >= 0.1 && Math.abs(v) <= 2);
    List<Double> seen = new ArrayList<>();
    OpCheck.of(spying(seen, x -> x.tanh())).range(0, 0.5, 1.5).avoid(0, 1.0).check(3, 3)
        .assertPassed();
    for (double v : seen) {
      if (v != 1) { // the probe's ones, which learn the op's output shape, aside
        assertTrue(v >= 0.5 - 1e-5 && v <= 1.5 + 1e-5 && Math.abs(v - 1) >= 0.1 - 1e-5, "" + v);
      }
    }
  }

  @Test
  void theSecondInputOfMaskedByIsDrawnAwayFromItsKink() {
    OpCheck.Report r = OpCheck.of(Node::maskedBy).check(4, 5).assertPassed();
    assertEquals(Status.PASSED, r.outcome(Part.FIRST_ORDER).status());
  }

  @Test
  void aConstantInputTakesNoGradient() {
    DMatrixRMaj mask = new DMatrixRMaj(2, 2, true, 1, -1, -1, 1);
    OpCheck.Report r = OpCheck.of(Node::maskedBy).constant(1, s -> mask).check(2, 2)
        .assertPassed();
    assertFalse(r.outcome(Part.FIRST_ORDER).details().contains("x1"),
        () -> r.outcome(Part.FIRST_ORDER).details());
    var e = assertThrows(IllegalArgumentException.class,
        () -> OpCheck.of(Node::maskedBy).constant(0, s -> mask).constant(1, s -> mask)
            .check(2, 2));
    assertEquals("OpCheck: every input is a constant: nothing to differentiate", e.getMessage());
  }

  @Test
  void valuesAnOpRefusesAreNamedWithWhereTheyWereDrawnFrom() {
    // √x as a custom op that declares no domain: the default draws include negatives
    Op root = WrongGradientsTest.op("root", x -> {
      for (int k = 0; k < x[0].getNumElements(); k++) {
        if (x[0].data[k] < 0) {
          throw new ArithmeticException("root: x has " + x[0].data[k]);
        }
      }
      return WrongGradientsTest.map(x[0], Math::sqrt);
    }, (i, y, g) -> g.div(y.scale(2)));
    var e = assertThrows(IllegalArgumentException.class, () -> OpCheck.of(root).check(3, 3));
    assertTrue(e.getMessage().startsWith("OpCheck: root refused the values drawn: root: x has -"),
        e::getMessage);
    assertTrue(e.getMessage().endsWith("; input 0 from ±[0.1, 2] (read by root (declares neither"
        + " domain nor kinks)). Give a range(i, lo, hi) inside its domain, or constant(i, …) for"
        + " an input that takes no gradient (a mask)"), e::getMessage);
    OpCheck.of(root).range(0, 0.5, 2).check(3, 3).assertPassed();
  }

  @Test
  void aCustomOpOfSeveralInputsNeedsItsArity() {
    Op mul = WrongGradientsTest.op("mul2", x -> WrongGradientsTest.mul(x[0], x[1]),
        (i, y, g) -> g.mul(y.input(1 - i)));
    var e = assertThrows(IllegalArgumentException.class, () -> OpCheck.of(mul).check(2, 2));
    assertTrue(e.getMessage().endsWith("given 1 input: for an op of more inputs give one shape"
        + " per input, or OpCheck.of(op, arity)"), e::getMessage);
    OpCheck.of(mul).check(new Shape(2, 2), new Shape(2, 2)).assertPassed();
    OpCheck.of(mul, 2).check(2, 2).assertPassed();
    var wrongCount = assertThrows(IllegalArgumentException.class,
        () -> OpCheck.of(mul, 2).check(new Shape(1, 1), new Shape(1, 1), new Shape(1, 1)));
    assertEquals("OpCheck: mul2 takes 2 inputs, got 3 shapes", wrongCount.getMessage());
  }

  @Test
  void anExceptionFromTheOpsGradientIsAFailureNamingIt() {
    Op broken = WrongGradientsTest.op("broken", WrongGradientsTest::exp, (i, y, g) -> {
      throw new IllegalStateException("broken: no gradient yet");
    });
    OpCheck.Report r = OpCheck.of(broken).check(2, 2);
    assertEquals(Status.FAILED, r.outcome(Part.SHAPE_CONTRACT).status());
    assertEquals("threw IllegalStateException: broken: no gradient yet",
        r.outcome(Part.SHAPE_CONTRACT).summary());
  }

  @Test
  void theSeedDecidesTheValuesDrawn() {
    String one = OpCheck.of(Node::tanh).seed(1).check(2, 2).outcome(Part.FIRST_ORDER).details();
    assertEquals(one, OpCheck.of(Node::tanh).seed(1).check(2, 2).outcome(Part.FIRST_ORDER)
        .details());
    assertNotEquals(one, OpCheck.of(Node::tanh).seed(2).check(2, 2).outcome(Part.FIRST_ORDER)
        .details());
  }

  @Test
  void aFailedCheckThrowsAnAssertionErrorCarryingTheReport() {
    OpCheck.Report r = OpCheck.of(new WrongGradientsTest.Square(2)).checkEach(s -> List.of(s));
    assertFalse(r.passed());
    AssertionError e = assertThrows(AssertionError.class, r::assertPassed);
    assertTrue(e.getMessage().startsWith("op check failed: square: 6 of 6 cases FAILED\n"
        + "square on x0 1×1 (seed 1): FAILED\n  shape contract  ok\n  first order     FAILED: x0:"
        + " analytic = 2.00000 × numeric"), e::getMessage);
    assertEquals(Status.FAILED, r.failure(Part.FIRST_ORDER).orElseThrow().status());
    assertTrue(r.failure(Part.DETERMINISM).isEmpty());
  }

  @Test
  void theStandardShapesCoverScalarRowColumnTallWideAndSquare() {
    assertEquals(List.of(new Shape(1, 1), new Shape(1, 4), new Shape(5, 1), new Shape(3, 2),
        new Shape(2, 3), new Shape(3, 3)), OpCheck.SHAPES);
  }

  private static UnaryOperator<Node> spying(List<Double> seen, UnaryOperator<Node> f) {
    return x -> {
      for (int k = 0; k < x.value().getNumElements(); k++) {
        seen.add(x.value().data[k]);
      }
      return f.apply(x);
    };
  }

  private static void assertAllDrawn(UnaryOperator<Node> f,
      java.util.function.DoublePredicate allowed) {
    List<Double> seen = new ArrayList<>();
    OpCheck.of(spying(seen, f)).checkEach(s -> List.of(s)).assertPassed();
    assertTrue(seen.size() > 100, "" + seen.size());
    for (double v : seen) {
      // the check perturbs each value by ε = 1e-6
      assertTrue(allowed.test(v) || allowed.test(v + 1e-6) || allowed.test(v - 1e-6), "" + v);
    }
  }
}
