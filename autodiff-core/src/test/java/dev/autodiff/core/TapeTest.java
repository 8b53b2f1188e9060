package dev.autodiff.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autodiff.core.check.GradientCheck;
import java.util.concurrent.CompletableFuture;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class TapeTest {

  static DMatrixRMaj m(double[][] v) {
    return new DMatrixRMaj(v);
  }

  @Test
  void fanOutSumsBothPaths() {
    // (x + x) * x = 2x²  ⇒  d/dx = 4x
    Tape tape = new Tape();
    Node x = tape.variable("x", new DMatrixRMaj(1, 1, true, 3));
    Node y = x.add(x).mul(x);
    assertEquals(18, y.scalar());
    assertEquals(12, tape.backward(y).get(x).get(0, 0));
    GradientCheck.defaults()
        .check(v -> v.get(0).add(v.get(0)).mul(v.get(0)).sum(),
            new DMatrixRMaj(2, 3, true, 3, -1, 0.5, 2, -2.5, 1.25))
        .assertPassed();
  }

  /**
   * The second input of an add gets g itself as its gradient; adding b's other contribution to it
   * in place would change ∂J/∂n too (found by the random-graph fuzzer).
   */
  @Test
  void aGradientPassedOnAsItIsIsNeverAddedToInPlace() {
    Tape tape = new Tape();
    Node a = tape.variable("a", new DMatrixRMaj(1, 3, true, 1, 2, 3));
    Node b = tape.variable("b", new DMatrixRMaj(2, 3, true, 1, 2, 3, 4, 5, 6));
    Node m = b.scale(2);
    Node n = a.add(b);
    Gradients g = tape.backward(n.sum().add(m.sum()));
    assertArrayEquals(new double[] {1, 1, 1, 1, 1, 1}, g.get(n).data, 0);
    assertArrayEquals(new double[] {2, 2, 2}, g.get(a).data, 0);
    assertArrayEquals(new double[] {3, 3, 3, 3, 3, 3}, g.get(b).data, 0);
  }

  /**
   * ∂(½‖W‖²)/∂W is W itself, which a backward takes without computing W ⊙ 1; the result still
   * owns its matrix, so that updating W in place does not change the gradient read before.
   */
  @Test
  void aGradientEqualToAValueIsTheResultsOwnMatrix() {
    Tape tape = new Tape();
    DMatrixRMaj w = new DMatrixRMaj(2, 2, true, 1, -2, 3, 4);
    Node W = tape.variable("W", w);
    DMatrixRMaj g = tape.backward(W.halfSquaredNorm()).get(W);
    assertArrayEquals(w.data, g.data, 0);
    assertTrue(g != w, "the gradient is not W's own matrix");
    w.data[0] = 100;
    assertEquals(1, g.data[0], 0);
  }

  @Test
  void sameMatrixAsBothMatmulOperands() {
    // J = Σ A·A, checked against finite differences
    DMatrixRMaj a = m(new double[][] {{1, 2, -1}, {0.5, -3, 2}, {1, 1, 0.25}});
    GradientCheck.defaults().check(v -> v.get(0).matmul(v.get(0)).sum(), a).assertPassed();
  }

  @Test
  void parameterInBothLossAndPenalty() {
    // J = L + s with W in both: ∂J/∂W = ∂L/∂W + W
    DMatrixRMaj w = m(new double[][] {{0.3, -0.5}, {0.2, 0.7}});
    DMatrixRMaj x = new DMatrixRMaj(2, 1, true, 1.5, -2);
    GradientCheck.defaults().check(v -> {
      Node W = v.get(0);
      Node L = W.matmul(W.tape().constant("x", x)).tanh().sum();
      Node s = W.frobeniusNorm().square().scale(0.5);
      return L.add(s);
    }, w).assertPassed();
  }

  @Test
  void backwardTwiceGivesTheSameGradients() {
    Tape tape = new Tape();
    Node W = tape.variable("W", m(new double[][] {{1, 2}, {3, 4}}));
    Node J = W.matmul(W).sigmoid().sum();
    DMatrixRMaj first = tape.backward(J).get(W).copy();
    DMatrixRMaj second = tape.backward(J).get(W);
    assertArrayEquals(first.data, second.data, 0);
  }

  @Test
  void seededBackwardForANonScalarOutput() {
    Tape tape = new Tape();
    Node x = tape.variable("x", new DMatrixRMaj(1, 3, true, 1, 2, 3));
    Node y = x.square();
    DMatrixRMaj seed = new DMatrixRMaj(1, 3, true, 1, 10, 100);
    assertArrayEquals(new double[] {2, 40, 600}, tape.backward(y, seed).get(x).data, 0);
  }

  @Test
  void nonScalarBackwardWithoutSeedSaysWhatToDo() {
    Tape tape = new Tape();
    Node x = tape.variable("x", new DMatrixRMaj(2, 1));
    var e = assertThrows(IllegalArgumentException.class, () -> tape.backward(x.named("v")));
    assertEquals("backward: v (2×1) is not 1×1; pass a seed gradient of its shape to "
        + "backward(node, seed)", e.getMessage());
    var s = assertThrows(IllegalArgumentException.class,
        () -> tape.backward(x, new DMatrixRMaj(1, 2)));
    assertTrue(s.getMessage().contains("must be 2×1, got 1×2"), s.getMessage());
  }

  @Test
  void constantsAndNodesOffThePathHaveNoGradient() {
    Tape tape = new Tape();
    Node x = tape.constant("x", new DMatrixRMaj(1, 1, true, 2));
    Node W = tape.variable("W", new DMatrixRMaj(1, 1, true, 3));
    Node unused = tape.variable("unused", new DMatrixRMaj(1, 1, true, 4));
    Node J = W.mul(x);
    Gradients g = tape.backward(J);
    assertEquals(2, g.get(W).get(0, 0));
    assertFalse(g.has(x));
    assertFalse(g.has(unused));
    assertEquals("x has no gradient: it is a constant; make it a variable to get its gradient",
        assertThrows(IllegalArgumentException.class, () -> g.get(x)).getMessage());
    assertEquals("unused has no gradient: it is not on a path to n3",
        assertThrows(IllegalArgumentException.class, () -> g.get(unused)).getMessage());
  }

  @Test
  void shapeErrorsNameTheOpTheNodesAndBothShapes() {
    Tape tape = new Tape();
    Node W = tape.variable("W", new DMatrixRMaj(3, 2));
    Node x = tape.constant("x", new DMatrixRMaj(3, 1));
    assertEquals("matmul: cannot multiply W (3×2) by x (3×1): inner dimensions 2 and 3 differ",
        assertThrows(IllegalArgumentException.class, () -> W.matmul(x)).getMessage());
    Node b = tape.variable("b", new DMatrixRMaj(1, 3));
    assertEquals("add: cannot broadcast W (3×2) with b (1×3): columns 2 and 3 differ and neither"
            + " is 1 (allowed: equal shapes, or 1×n, m×1, 1×1 against m×n)",
        assertThrows(IllegalArgumentException.class, () -> W.add(b)).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> W.mul(x.transpose()))
        .getMessage().startsWith("mul: cannot broadcast W (3×2) with n"));
  }

  @Test
  void mixingTapesFails() {
    Node a = new Tape().variable("a", new DMatrixRMaj(1, 1));
    Node b = new Tape().variable("b", new DMatrixRMaj(1, 1));
    assertEquals("add: b belongs to another tape; nodes of two tapes cannot be mixed",
        assertThrows(IllegalArgumentException.class, () -> a.add(b)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> a.tape().backward(b));
  }

  @Test
  void aTapeRecordsFromAnotherThreadWhenTheFirstIsDone() throws Exception {
    Tape tape = new Tape();
    Node x = tape.variable("x", new DMatrixRMaj(1, 1, true, 1));
    Node y = CompletableFuture.supplyAsync(x::exp).get();
    assertEquals(Math.E, y.scalar(), 1e-15);
    assertEquals(Math.E, tape.backward(y).get(x).get(0, 0), 1e-15);
  }

  @Test
  void closingATapeHasNoEffect() {
    Tape tape = new Tape();
    Node x = tape.variable("x", new DMatrixRMaj(1, 1, true, 2));
    Node y = x.square();
    Gradients g = tape.backward(y);
    tape.close();
    assertEquals(4, y.scalar(), 0);
    assertEquals(4, g.get(x).get(0, 0), 0);
    assertEquals(12, tape.backward(y.mul(x)).get(x).get(0, 0), 0, "still records after close");
  }

  @Test
  void aMillionOpChainRunsOnTheDefaultStack() {
    // y = x·(1 + 1e-6)^n, so dy/dx = (1 + 1e-6)^n
    int n = 1_000_000;
    Tape tape = new Tape();
    Node x = tape.variable("x", new DMatrixRMaj(1, 1, true, 1));
    Node y = x;
    for (int i = 0; i < n; i++) {
      y = y.scale(1 + 1e-6);
    }
    double expected = Math.pow(1 + 1e-6, n);
    assertEquals(expected, y.scalar(), 1e-9);
    assertEquals(expected, tape.backward(y).get(x).get(0, 0), 1e-9);
  }

  @Test
  void divisionByZeroAndLogOfNonPositiveAreRejected() {
    Tape tape = new Tape();
    Node a = tape.variable("a", new DMatrixRMaj(1, 2, true, 1, 2));
    Node z = tape.constant("z", new DMatrixRMaj(1, 2, true, 1, 0));
    assertEquals("div: divisor z is 0 at (0, 1)",
        assertThrows(ArithmeticException.class, () -> a.div(z)).getMessage());
    assertEquals("log: z has 0.0 at (0, 1); log needs every entry > 0",
        assertThrows(ArithmeticException.class, z::log).getMessage());
  }

  @Test
  void frobeniusNormAtZeroHasZeroGradient() {
    Tape tape = new Tape();
    Node A = tape.variable("A", new DMatrixRMaj(2, 3));
    DMatrixRMaj g = tape.backward(A.frobeniusNorm()).get(A);
    assertArrayEquals(new double[6], g.data, 0);
  }

  @Test
  void softmaxFamilyIsFiniteForHugeLogits() {
    Tape tape = new Tape();
    Node z = tape.variable("z", new DMatrixRMaj(2, 3, true, 1000, -1000, 0, -1000, -1000, 1000));
    Node p = z.softmax();
    Node lp = z.logSoftmax();
    Node sg = z.sigmoid();
    assertArrayEquals(new double[] {1, 0, 0, 0, 0, 1}, p.value().data, 1e-300);
    assertArrayEquals(new double[] {0, -2000, -1000, -2000, -2000, 0}, lp.value().data, 0);
    assertArrayEquals(new double[] {1, 0, 0.5, 0, 0, 1}, sg.value().data, 0);
    for (Node out : new Node[] {p, lp, sg}) {
      DMatrixRMaj g = tape.backward(out.sum()).get(z);
      for (double d : g.data) {
        assertTrue(Double.isFinite(d), out.name() + " gradient " + d);
      }
    }
  }

  @Test
  void nodesKeepNamesKindsAndOrder() {
    Tape tape = new Tape();
    Node x = tape.constant("x", new DMatrixRMaj(2, 1));
    Node W = tape.variable("W", new DMatrixRMaj(3, 2));
    Node u = W.matmul(x).named("u");
    Node h = u.relu();
    assertEquals("n3", h.name());
    assertEquals(Node.Kind.VARIABLE, W.kind());
    assertEquals(Node.Kind.OP, u.kind());
    assertEquals("matmul", u.op().name());
    assertEquals(java.util.List.of(W, x), u.inputs());
    assertEquals(java.util.List.of(x, W, u, h), tape.nodes());
    assertEquals("u (3×1) [[0], [0], [0]]", u.toString());
  }
}
