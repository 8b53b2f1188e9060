package dev.autodiff.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autodiff.core.check.GradientCheck;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * sigmoid, tanh, softmax, logSoftmax and the cross-entropies built on them at logits up to ±1000:
 * finite values and gradients that match closed forms. The gradients are those of y(1 − y) and
 * 1 − y², so far in the tails they are exact in absolute terms (within 2⁻⁵²), not relative ones.
 * A log-softmax value carries the rounding of its logits (ulp(1000) ≈ 1.1e-13), and so do the
 * probabilities recovered from it, relatively.
 */
class LargeLogitTest {
  static final double[] LOGITS = {-1000, -745, -100, -20, -1, -1e-3, 0, 1e-3, 1, 20, 100, 745, 1000};
  static final double ABS = 0x1p-52;

  final Tape tape = new Tape();

  Node logits() {
    return tape.variable("z", new DMatrixRMaj(1, LOGITS.length, true, LOGITS));
  }

  static void assertFinite(DMatrixRMaj m, String what) {
    for (int k = 0; k < m.getNumElements(); k++) {
      assertTrue(Double.isFinite(m.data[k]), what + " at " + k + ": " + m.data[k]);
    }
  }

  /** |a − e| ≤ abs + 4 ulps of e. */
  static void assertClose(double expected, double actual, double abs, String what) {
    assertEquals(expected, actual, abs + 4 * Math.ulp(expected), what);
  }

  @Test
  void sigmoidMatchesItsClosedFormAndSoDoesItsGradient() {
    Node z = logits();
    Node y = z.sigmoid();
    DMatrixRMaj g = tape.backward(y.sum()).get(z);
    assertFinite(y.value(), "σ");
    assertFinite(g, "σ'");
    for (int k = 0; k < LOGITS.length; k++) {
      double x = LOGITS[k];
      double e = Math.exp(-Math.abs(x));
      // σ(x) = 1/(1 + e^(−x)) (e^1000 = ∞ gives the right 0); σ'(x) = e^(−|x|)/(1 + e^(−|x|))²
      assertClose(1 / (1 + Math.exp(-x)), y.value().data[k], 0, "σ(" + x + ")");
      assertClose(e / ((1 + e) * (1 + e)), g.data[k], ABS, "σ'(" + x + ")");
    }
    assertEquals(1, y.value().data[LOGITS.length - 1]);
    assertEquals(0, y.value().data[0]);
    assertEquals(0.25, g.data[6]);
  }

  @Test
  void tanhMatchesItsClosedFormAndSoDoesItsGradient() {
    Node z = logits();
    Node y = z.tanh();
    DMatrixRMaj g = tape.backward(y.sum()).get(z);
    assertFinite(g, "tanh'");
    for (int k = 0; k < LOGITS.length; k++) {
      double x = LOGITS[k];
      double c = Math.cosh(x);
      // tanh x = 1 − 2/(e^(2x) + 1); tanh'(x) = 1/cosh²x (cosh 1000 = ∞ gives the right 0)
      assertClose(1 - 2 / (Math.exp(2 * x) + 1), y.value().data[k], ABS, "tanh(" + x + ")");
      assertClose(1 / (c * c), g.data[k], ABS, "tanh'(" + x + ")");
    }
    assertEquals(-1, y.value().data[0]);
    assertEquals(1, g.data[6]);
  }

  /** Rows of logits whose closed forms are known exactly. */
  static final DMatrixRMaj ROWS = new DMatrixRMaj(new double[][] {
      {1000, -1000, 0}, {-1000, -1000, -1000}, {1000, 1000, -1000}, {0.5, -0.5, 1000}});
  /** A readout R so that J = Σ y ⊙ R weighs every entry differently. */
  static final DMatrixRMaj R = new DMatrixRMaj(new double[][] {
      {0.3, -1.2, 2}, {1, -0.5, 0.25}, {-2, 0.7, 1.5}, {0.1, 0.9, -0.4}});

  @Test
  void softmaxValuesAndGradientsMatchClosedForms() {
    Node z = tape.variable("z", ROWS);
    Node p = z.softmax();
    double third = 1.0 / 3;
    assertArrayEquals(new double[] {1, 0, 0, third, third, third, 0.5, 0.5, 0, 0, 0, 1},
        p.value().data, 1e-16);
    DMatrixRMaj g = tape.backward(p.mul(tape.constant("R", R)).sum()).get(z);
    assertFinite(g, "∂softmax");
    // ∂J/∂z_j = p_j (R_j − Σ_k p_k R_k)
    for (int i = 0; i < ROWS.numRows; i++) {
      double s = 0;
      for (int j = 0; j < 3; j++) {
        s += p.value().get(i, j) * R.get(i, j);
      }
      for (int j = 0; j < 3; j++) {
        assertClose(p.value().get(i, j) * (R.get(i, j) - s), g.get(i, j), ABS, i + "," + j);
      }
    }
  }

  @Test
  void logSoftmaxValuesAndGradientsMatchClosedForms() {
    Node z = tape.variable("z", ROWS);
    Node y = z.logSoftmax();
    double l2 = Math.log(2);
    double l3 = Math.log(3);
    assertArrayEquals(new double[] {0, -2000, -1000, -l3, -l3, -l3, -l2, -l2, -2000 - l2, -999.5,
        -1000.5, 0}, y.value().data, 1e-13);
    DMatrixRMaj g = tape.backward(y.mul(tape.constant("R", R)).sum()).get(z);
    assertFinite(g, "∂logSoftmax");
    // ∂J/∂z_j = R_j − p_j Σ_k R_k
    for (int i = 0; i < ROWS.numRows; i++) {
      double s = R.get(i, 0) + R.get(i, 1) + R.get(i, 2);
      for (int j = 0; j < 3; j++) {
        double p = Math.exp(y.value().get(i, j));
        assertClose(R.get(i, j) - p * s, g.get(i, j), 4 * ABS, i + "," + j);
      }
    }
  }

  /** L = −(1/N) Σᵢ log softmax(zᵢ)_{cᵢ}, with the true classes cᵢ as a one-hot Y. */
  static Node crossEntropy(Node z, DMatrixRMaj Y) {
    return z.logSoftmax().mul(z.tape().constant("Y", Y)).sum().scale(-1.0 / Y.numRows);
  }

  @Test
  void softmaxCrossEntropyIsFiniteWhenTheTrueClassIsAThousandBelow() {
    // the true classes are the worst logits: L = (2000 + 0 + (2000 + log 2) + 1000.5) / 4
    DMatrixRMaj Y = new DMatrixRMaj(new double[][] {{0, 1, 0}, {1, 0, 0}, {0, 0, 1}, {0, 1, 0}});
    Node z = tape.variable("z", ROWS);
    Node L = crossEntropy(z, Y);
    assertEquals((2000 + Math.log(3) + 2000 + Math.log(2) + 1000.5) / 4, L.scalar(), 1e-12);
    // ∂L/∂z = (softmax(z) − Y) / N
    DMatrixRMaj g = tape.backward(L).get(z);
    double t = 1.0 / 12;
    assertArrayEquals(new double[] {.25, -.25, 0, t - .25, t, t, .125, .125, -.25, 0, -.25, .25},
        g.data, 1e-14);
  }

  @Test
  void softmaxCrossEntropyPassesTheGradientCheckAtLargeLogits() {
    DMatrixRMaj Y = new DMatrixRMaj(new double[][] {{0, 1, 0}, {1, 0, 0}, {0, 0, 1}, {0, 1, 0}});
    DMatrixRMaj near = new DMatrixRMaj(new double[][] {
        {1000, 999.5, -1000}, {-1000, -999, -1000.5}, {500, 500.25, 499.8}, {0.5, -0.5, 1}});
    GradientCheck.defaults().check(v -> crossEntropy(v.get(0), Y), ROWS).assertPassed();
    GradientCheck.defaults().check(v -> crossEntropy(v.get(0), Y), near).assertPassed();
  }

  @Test
  void binaryCrossEntropyFromLogitsIsFiniteAtPlusMinusAThousand() {
    // log σ(z) and log(1 − σ(z)) are the log-softmax of the logit pair [0, z], made by z·[0 1];
    // L = −(1/N) Σ [(1 − y) log(1 − σ(z)) + y log σ(z)], ∂L/∂z = (σ(z) − y) / N
    double[] zs = {-1000, 1000, 0, 30, -30};
    double[] ys = {1, 0, 1, 0, 0};
    int n = zs.length;
    DMatrixRMaj Y = new DMatrixRMaj(n, 2);
    for (int i = 0; i < n; i++) {
      Y.set(i, 0, 1 - ys[i]);
      Y.set(i, 1, ys[i]);
    }
    Node z = tape.variable("z", new DMatrixRMaj(n, 1, true, zs));
    Node pair = z.matmul(tape.constant("e", new DMatrixRMaj(1, 2, true, 0, 1)));
    Node L = crossEntropy(pair, Y);
    double softplus30 = 30 + Math.log1p(Math.exp(-30));
    assertEquals((1000 + 1000 + Math.log(2) + softplus30 + Math.log1p(Math.exp(-30))) / n,
        L.scalar(), 1e-12);
    DMatrixRMaj g = tape.backward(L).get(z);
    for (int i = 0; i < n; i++) {
      double sigma = 1 / (1 + Math.exp(-zs[i]));
      assertClose((sigma - ys[i]) / n, g.data[i], 1e-15, "z = " + zs[i]);
    }
  }
}
