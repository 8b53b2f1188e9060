package dev.autodiff.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Map;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class LstmCellTest {
  static double sigmoid(double a) {
    return 1 / (1 + Math.exp(-a));
  }

  /** PyTorch's LSTMCell equations, entry by entry, against the cell's nodes. */
  @Test
  void oneStepEqualsPyTorchsEquationsComputedByHand() {
    int in = 3;
    int H = 2;
    int N = 2;
    LstmCell cell = new LstmCell(in, H, new Random(5));
    Map<String, DMatrixRMaj> v = RecurrentChecks.stepInputs(cell, N, 6);
    DMatrixRMaj Wx = cell.namedParameters().get("Wx").value();
    DMatrixRMaj Wh = cell.namedParameters().get("Wh").value();
    DMatrixRMaj b = cell.namedParameters().get("b").value();
    DMatrixRMaj x = v.get("x");
    DMatrixRMaj h = v.get("h");
    DMatrixRMaj c = v.get("c");
    double[] hNext = new double[N * H];
    double[] cNext = new double[N * H];
    for (int n = 0; n < N; n++) {
      double[] a = new double[4 * H];
      for (int k = 0; k < 4 * H; k++) {
        a[k] = b.get(0, k) + RecurrentChecks.dot(x, n, Wx, k)
            + RecurrentChecks.dot(h, n, Wh, k);
      }
      for (int j = 0; j < H; j++) {
        double i = sigmoid(a[j]);
        double f = sigmoid(a[H + j]);
        double g = Math.tanh(a[2 * H + j]);
        double o = sigmoid(a[3 * H + j]);
        cNext[n * H + j] = f * c.get(n, j) + i * g;
        hNext[n * H + j] = o * Math.tanh(cNext[n * H + j]);
      }
    }
    RecurrentCell.State s = RecurrentChecks.stepOn(cell, v);
    assertArrayEquals(hNext, s.h().value().data, 1e-12);
    assertArrayEquals(cNext, s.c().value().data, 1e-12);
  }

  @Test
  void gradientsOfOneStepPassTheCheckerToSecondOrder() {
    RecurrentChecks.checkStep(new LstmCell(2, 3, new Random(3)), 2);
  }
}
