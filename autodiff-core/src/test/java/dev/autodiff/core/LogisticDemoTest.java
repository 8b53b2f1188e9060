package dev.autodiff.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/** Seed 003's PyTorch demo: z = X Wᵀ ⊕ b and a = σ(z), with W and b as printed (4 decimals). */
class LogisticDemoTest {
  final DMatrixRMaj X = new DMatrixRMaj(new double[][] {
      {-8, 1, -3, 5, 2}, {-2, 2, -1, 5, 2}, {7, 1, 9, -5, -2}});
  final DMatrixRMaj W = new DMatrixRMaj(1, 5, true, 0.7576, 0.2793, 0.4031, 0.7347, 0.0293);
  final DMatrixRMaj b = new DMatrixRMaj(1, 1, true, 0.7999);

  @Test
  void batchedLogitsAndSigmoidMatchTheDemo() {
    Tape tape = new Tape();
    Node z = tape.constant("X", X).matmulTransB(tape.variable("W", W))
        .add(tape.variable("b", b)).named("z");
    Node a = z.sigmoid().named("a");
    assertEquals(3, z.rows());
    assertEquals(1, z.cols());
    assertArrayEquals(new double[] {-2.4591, 3.1721, 6.2782}, z.value().data, 1e-3);
    assertArrayEquals(new double[] {0.0788, 0.9598, 0.9981}, a.value().data, 1e-3);
  }

  @Test
  void singleRowFormMatchesTheFirstRow() {
    Tape tape = new Tape();
    Node xT = tape.constant("xT", new DMatrixRMaj(1, 5, true, -8, 1, -3, 5, 2));
    Node z = xT.matmul(tape.variable("W", W).transpose()).add(tape.variable("b", b));
    assertEquals(-2.4591, z.scalar(), 1e-3);
    assertEquals(0.0788, z.sigmoid().scalar(), 1e-3);
  }

  @Test
  void biasGradientIsSummedOverTheBatch() {
    // seed 002: ∂L/∂b = Σₙ δ; with L = Σ a, δ = a(1 − a)
    Tape tape = new Tape();
    Node bn = tape.variable("b", b);
    Node a = tape.constant("X", X).matmulTransB(tape.constant("W", W)).add(bn).sigmoid();
    Gradients g = tape.backward(a.sum());
    double expected = 0;
    for (double ak : a.value().data) {
      expected += ak * (1 - ak);
    }
    assertEquals(expected, g.get(bn).get(0, 0), 1e-15);
  }
}
