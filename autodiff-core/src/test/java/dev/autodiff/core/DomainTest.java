package dev.autodiff.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autodiff.core.check.GradientCheck;
import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Stream;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The edges of each op's domain: out-of-domain entries throw, naming the node and the entry;
 * kinks use a documented derivative; a NaN input is never turned into a finite value silently.
 */
class DomainTest {
  final Tape tape = new Tape();

  Node row(String name, double... v) {
    return tape.variable(name, new DMatrixRMaj(1, v.length, true, v));
  }

  static String arithmetic(Runnable r) {
    return assertThrows(ArithmeticException.class, r::run).getMessage();
  }

  @Test
  void logNeedsEveryEntryPositive() {
    assertEquals("log: z has 0.0 at (0, 1); log needs every entry > 0",
        arithmetic(() -> row("z", 1, 0).log()));
    assertEquals("log: z has -0.0 at (0, 0); log needs every entry > 0",
        arithmetic(() -> row("z", -0.0).log()));
    assertEquals("log: z has -2.5 at (0, 2); log needs every entry > 0",
        arithmetic(() -> row("z", 1, 2, -2.5).log()));
    assertEquals("log: z has NaN at (0, 0); log needs every entry > 0",
        arithmetic(() -> row("z", Double.NaN).log()));
    assertEquals("log: z has -Infinity at (0, 0); log needs every entry > 0",
        arithmetic(() -> row("z", Double.NEGATIVE_INFINITY).log()));
    assertEquals(5, tape.size(), "the five leaves, and no rejected op");
  }

  @Test
  void logOfTheSmallestPositiveNumberIsFinite() {
    Node z = row("z", Double.MIN_VALUE);
    assertEquals(Math.log(Double.MIN_VALUE), z.log().scalar());
  }

  @Test
  void divNeedsEveryDivisorNonZeroInEveryBroadcastForm() {
    Node a = tape.variable("a", new DMatrixRMaj(2, 2, true, 1, 2, 3, 4));
    assertEquals("div: divisor b is 0 at (1, 0)",
        arithmetic(() -> a.div(tape.constant("b", new DMatrixRMaj(2, 2, true, 1, 1, 0, 1)))));
    assertEquals("div: divisor row is 0 at (0, 1)",
        arithmetic(() -> a.div(row("row", 2, -0.0))));
    assertEquals("div: divisor col is 0 at (1, 0)",
        arithmetic(() -> a.div(tape.constant("col", new DMatrixRMaj(2, 1, true, 3, 0)))));
    assertEquals("div: divisor zero is 0 at (0, 0)", arithmetic(() -> a.div(row("zero", 0))));
    // 0 / 0 as well: the divisor decides
    assertEquals("div: divisor zero is 0 at (0, 0)",
        arithmetic(() -> row("z", 0).div(row("zero", 0))));
  }

  @Test
  void sqrtNeedsEveryEntryNonNegativeAndHasGradientZeroAtZero() {
    assertEquals("sqrt: z has -1.0E-300 at (0, 1); sqrt needs every entry ≥ 0",
        arithmetic(() -> row("z", 4, -1e-300).sqrt()));
    assertEquals("sqrt: z has NaN at (0, 0); sqrt needs every entry ≥ 0",
        arithmetic(() -> row("z", Double.NaN).sqrt()));
    Node x = row("x", 0, 4, 0.25);
    Node y = x.sqrt();
    assertArrayEquals(new double[] {0, 2, 0.5}, y.value().data, 0);
    // d√x/dx = 1/(2√x); at 0 the convention 0
    assertArrayEquals(new double[] {0, 0.25, 1}, tape.backward(y.sum()).get(x).data, 0);
  }

  @Test
  void sqrtOfASquareIsTheAbsoluteValueWithSubgradientZeroAtZero() {
    Node x = row("x", -3, 0, 2);
    Node y = x.square().sqrt();
    assertArrayEquals(new double[] {3, 0, 2}, y.value().data, 0);
    assertArrayEquals(new double[] {-1, 0, 1}, tape.backward(y.sum()).get(x).data, 0);
  }

  @Test
  void sqrtPassesTheGradientCheckAwayFromZero() {
    GradientCheck.defaults().check(v -> v.get(0).sqrt().mul(v.get(0)).sum(),
        new DMatrixRMaj(2, 2, true, 0.1, 1, 2.5, 9)).assertPassed();
  }

  @Test
  void frobeniusNormAtZeroIsZeroWithGradientZero() {
    Node A = tape.variable("A", new DMatrixRMaj(2, 3));
    Node n = A.frobeniusNorm();
    assertEquals(0, n.scalar());
    assertArrayEquals(new double[6], tape.backward(n).get(A).data, 0);
  }

  @Test
  void frobeniusNormOfTinyAndHugeEntriesIsFinite() {
    // EJML scales by the largest entry: neither 1e-200² underflows nor 1e200² overflows
    Node tiny = row("tiny", 3e-200, 4e-200);
    Node huge = row("huge", 3e200, -4e200);
    assertEquals(5e-200, tiny.frobeniusNorm().scalar(), 1e-214);
    assertEquals(5e200, huge.frobeniusNorm().scalar(), 1e186);
    Node t = tiny.frobeniusNorm();
    assertArrayEquals(new double[] {0.6, 0.8}, tape.backward(t).get(tiny).data, 1e-15);
    Node h = huge.frobeniusNorm();
    assertArrayEquals(new double[] {0.6, -0.8}, tape.backward(h).get(huge).data, 1e-15);
  }

  @Test
  void reluAtExactlyZeroHasDerivativeZero() {
    Node x = row("x", -1, -0.0, 0, Double.MIN_VALUE, 2);
    Node y = x.relu();
    assertArrayEquals(new double[] {0, 0, 0, Double.MIN_VALUE, 2}, y.value().data, 0);
    assertArrayEquals(new double[] {0, 0, 0, 1, 1}, tape.backward(y.sum()).get(x).data, 0);
  }

  /** ‖[NaN, 0]‖ and ‖[NaN]‖ are NaN, and so are their gradients: the NaN never vanishes. */
  @Test
  void aFrobeniusNormOfANaNIsNaNAndSoIsItsGradient() {
    for (double[] entries : new double[][] {{Double.NaN, 0}, {Double.NaN}, {0, Double.NaN, 1e200}}) {
      Tape tape = new Tape();
      Node x = tape.variable("x", new DMatrixRMaj(1, entries.length, true, entries));
      Node n = x.frobeniusNorm();
      assertTrue(Double.isNaN(n.scalar()), Arrays.toString(entries) + ": " + n.scalar());
      DMatrixRMaj g = tape.backward(n).get(x);
      for (double v : g.data) {
        assertTrue(Double.isNaN(v), Arrays.toString(entries) + ": gradient " + g);
      }
    }
  }

  static Stream<Arguments> opsOnANaN() {
    return Stream.of(
        Arguments.of("neg", (Function<Node, Node>) Node::neg),
        Arguments.of("scale", (Function<Node, Node>) x -> x.scale(2)),
        Arguments.of("square", (Function<Node, Node>) Node::square),
        Arguments.of("relu", (Function<Node, Node>) Node::relu),
        Arguments.of("sigmoid", (Function<Node, Node>) Node::sigmoid),
        Arguments.of("tanh", (Function<Node, Node>) Node::tanh),
        Arguments.of("exp", (Function<Node, Node>) Node::exp),
        Arguments.of("transpose", (Function<Node, Node>) Node::transpose),
        Arguments.of("sum", (Function<Node, Node>) Node::sum),
        Arguments.of("mean", (Function<Node, Node>) Node::mean),
        Arguments.of("sumRows", (Function<Node, Node>) Node::sumRows),
        Arguments.of("sumCols", (Function<Node, Node>) Node::sumCols),
        Arguments.of("frobeniusNorm", (Function<Node, Node>) Node::frobeniusNorm),
        Arguments.of("softmax", (Function<Node, Node>) Node::softmax),
        Arguments.of("logSoftmax", (Function<Node, Node>) Node::logSoftmax),
        Arguments.of("add", (Function<Node, Node>) x -> x.add(x)),
        Arguments.of("sub", (Function<Node, Node>) x -> x.sub(x)),
        Arguments.of("mul", (Function<Node, Node>) x -> x.mul(x)),
        Arguments.of("matmul", (Function<Node, Node>) x -> x.matmul(x.transpose())),
        Arguments.of("matmulTransB", (Function<Node, Node>) x -> x.matmulTransB(x)));
  }

  /** Without anomaly detection a NaN propagates, as IEEE 754 says: no op turns it into a number. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("opsOnANaN")
  void aNaNInputGivesANaNOutput(String op, Function<Node, Node> f) {
    Node x = row("x", 1, Double.NaN);
    Node J = f.apply(x).sum();
    assertTrue(Double.isNaN(J.scalar()), op + " hid the NaN: " + J.scalar());
  }
}
