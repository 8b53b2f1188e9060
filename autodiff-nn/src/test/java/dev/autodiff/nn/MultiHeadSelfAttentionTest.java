package dev.autodiff.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autodiff.core.check.GradientCheck;
import java.util.List;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

class MultiHeadSelfAttentionTest {

  /** A layer with random biases too, so that every term of the formula shows. */
  private static MultiHeadSelfAttention layer(int width, int heads, boolean causal, long seed) {
    MultiHeadSelfAttention a = new MultiHeadSelfAttention(width, heads, causal, new Random(seed));
    Random r = new Random(seed + 1);
    for (String b : List.of("bq", "bk", "bv", "bo")) {
      a.namedParameters().get(b).value().setTo(Matrices.random(r, 1, width));
    }
    return a;
  }

  private static DMatrixRMaj value(MultiHeadSelfAttention a, String name) {
    return a.namedParameters().get(name).value();
  }

  /**
   * The formula with plain loops over one sequence (row n of X): q_s = Wq x_s + bq, …, head h's
   * weights w_su = softmax_u(q_s,h · k_u,h / √d) over u (u ≤ s when causal), its output Σ_u w_su
   * v_u,h, the heads side by side, then Wo · + bo.
   */
  private static double[] direct(MultiHeadSelfAttention a, DMatrixRMaj X, int n) {
    int w = a.width();
    int t = X.numCols / w;
    int d = w / a.heads();
    DMatrixRMaj S = new DMatrixRMaj(t, w);
    for (int s = 0; s < t; s++) {
      for (int j = 0; j < w; j++) {
        S.set(s, j, X.get(n, s * w + j));
      }
    }
    DMatrixRMaj[] qkv = new DMatrixRMaj[3];
    String[][] names = {{"Wq", "bq"}, {"Wk", "bk"}, {"Wv", "bv"}};
    for (int m = 0; m < 3; m++) {
      qkv[m] = new DMatrixRMaj(t, w);
      CommonOps_DDRM.multTransB(S, value(a, names[m][0]), qkv[m]);
      MlpTest.addRow(qkv[m], value(a, names[m][1]));
    }
    DMatrixRMaj heads = new DMatrixRMaj(t, w);
    for (int h = 0; h < a.heads(); h++) {
      for (int s = 0; s < t; s++) {
        int last = a.causal() ? s : t - 1;
        double[] score = new double[t];
        double max = Double.NEGATIVE_INFINITY;
        for (int u = 0; u <= last; u++) {
          for (int j = h * d; j < (h + 1) * d; j++) {
            score[u] += qkv[0].get(s, j) * qkv[1].get(u, j);
          }
          score[u] /= Math.sqrt(d);
          max = Math.max(max, score[u]);
        }
        double sum = 0;
        for (int u = 0; u <= last; u++) {
          sum += Math.exp(score[u] - max);
        }
        for (int u = 0; u <= last; u++) {
          double weight = Math.exp(score[u] - max) / sum;
          for (int j = h * d; j < (h + 1) * d; j++) {
            heads.add(s, j, weight * qkv[2].get(u, j));
          }
        }
      }
    }
    DMatrixRMaj out = new DMatrixRMaj(t, w);
    CommonOps_DDRM.multTransB(heads, value(a, "Wo"), out);
    MlpTest.addRow(out, value(a, "bo"));
    return out.data;
  }

  @Test
  void eachSequenceIsTheFormulaWrittenWithLoops() {
    for (boolean causal : new boolean[] {false, true}) {
      MultiHeadSelfAttention a = layer(6, 3, causal, 5);
      DMatrixRMaj X = Matrices.random(new Random(6), 3, 4 * 6); // 3 sequences of 4 tokens
      DMatrixRMaj Y = a.predict(X);
      assertEquals(3, Y.numRows);
      assertEquals(24, Y.numCols);
      for (int n = 0; n < 3; n++) {
        double[] expected = direct(a, X, n);
        for (int k = 0; k < 24; k++) {
          assertEquals(expected[k], Y.get(n, k), 1e-14, "causal " + causal + ", row " + n);
        }
      }
    }
  }

  @Test
  void gradientsOfTheEightParametersAndTheInputPassTheChecker() {
    double worst = 0;
    // N, T, width, heads
    int[][] configs = {{2, 3, 4, 2}, {1, 1, 1, 1}, {3, 2, 6, 3}, {1, 4, 2, 1}};
    for (int[] c : configs) {
      for (boolean causal : new boolean[] {false, true}) {
        MultiHeadSelfAttention a = layer(c[2], c[3], causal, c[0] + 10L * c[1]);
        DMatrixRMaj X = Matrices.random(new Random(c[2]), c[0], c[1] * c[2]);
        GradientCheck.Report r = LayerCheck.check(a, X, true).assertPassed();
        worst = Math.max(worst, r.maxRelError());
      }
    }
    System.out.printf("MultiHeadSelfAttention: worst relative gradient error %.2e%n", worst);
  }

  /** Token t's output reads tokens 0 to t only: a change at token 2 leaves tokens 0 and 1. */
  @Test
  void theCausalFlagMakesEachOutputIndependentOfLaterTokens() {
    int w = 4;
    for (boolean causal : new boolean[] {true, false}) {
      MultiHeadSelfAttention a = layer(w, 2, causal, 9);
      DMatrixRMaj X = Matrices.random(new Random(10), 2, 4 * w);
      DMatrixRMaj before = a.predict(X);
      DMatrixRMaj changed = X.copy();
      for (int j = 0; j < w; j++) {
        changed.add(1, 2 * w + j, 0.5 + j);
      }
      DMatrixRMaj after = a.predict(changed);
      for (int k = 0; k < 4 * w; k++) {
        assertEquals(before.get(0, k), after.get(0, k), 0, "the other sequence");
        if (k < 2 * w && causal) {
          assertEquals(before.get(1, k), after.get(1, k), 0, "causal: entry " + k);
        } else if (k >= 2 * w || !causal) {
          assertNotEquals(before.get(1, k), after.get(1, k), "entry " + k);
        }
      }
    }
  }

  @Test
  void xavierInitialisationAndZeroBiases() {
    MultiHeadSelfAttention a = new MultiHeadSelfAttention(64, 4, new Random(2));
    double limit = Math.sqrt(6.0 / 128);
    for (String W : List.of("Wq", "Wk", "Wv", "Wo")) {
      // U(±limit): variance limit²/3 = 1/64; 4,096 draws, within 10%
      assertEquals(1.0 / 64, MlpTest.variance(value(a, W)), 0.1 / 64, W);
      assertTrue(CommonOps_DDRM.elementMaxAbs(value(a, W)) <= limit, W);
      assertEquals(Parameter.Kind.WEIGHT, a.namedParameters().get(W).kind());
    }
    for (String b : List.of("bq", "bk", "bv", "bo")) {
      assertEquals(0, CommonOps_DDRM.elementMaxAbs(value(a, b)), b);
      assertEquals(Parameter.Kind.BIAS, a.namedParameters().get(b).kind());
    }
    assertEquals(List.of("Wq", "Wk", "Wv", "Wo", "bq", "bk", "bv", "bo"),
        List.copyOf(a.namedParameters().keySet()));
  }

  @Test
  void badShapesAreRefusedNamingTheLayerAndTheShape() {
    MultiHeadSelfAttention a = new MultiHeadSelfAttention(4, 2, new Random(1));
    assertEquals("MultiHeadSelfAttention(width 4, 2 heads): X is 2×10, but this layer takes rows "
            + "of T tokens of 4 entries",
        assertThrows(IllegalArgumentException.class, () -> a.predict(new DMatrixRMaj(2, 10)))
            .getMessage());
    assertEquals("self-attention needs width > 0 split into heads > 0 of equal width, got width 6"
            + " and 4 heads",
        assertThrows(IllegalArgumentException.class,
            () -> new MultiHeadSelfAttention(6, 4, true, new Random(1))).getMessage());
  }
}
