package dev.autodiff.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Map;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class GruCellTest {
  /** PyTorch's GRUCell equations, entry by entry, against the cell's nodes. */
  @Test
  void oneStepEqualsPyTorchsEquationsComputedByHand() {
    int in = 3;
    int H = 2;
    int N = 2;
    GruCell cell = new GruCell(in, H, new Random(5));
    Map<String, DMatrixRMaj> v = RecurrentChecks.stepInputs(cell, N, 6);
    DMatrixRMaj Wx = cell.namedParameters().get("Wx").value();
    DMatrixRMaj Wh = cell.namedParameters().get("Wh").value();
    DMatrixRMaj bx = cell.namedParameters().get("bx").value();
    DMatrixRMaj bh = cell.namedParameters().get("bh").value();
    DMatrixRMaj x = v.get("x");
    DMatrixRMaj h = v.get("h");
    double[] hNext = new double[N * H];
    for (int n = 0; n < N; n++) {
      double[] ax = new double[3 * H];
      double[] ah = new double[3 * H];
      for (int k = 0; k < 3 * H; k++) {
        ax[k] = bx.get(0, k) + RecurrentChecks.dot(x, n, Wx, k);
        ah[k] = bh.get(0, k) + RecurrentChecks.dot(h, n, Wh, k);
      }
      for (int j = 0; j < H; j++) {
        double r = LstmCellTest.sigmoid(ax[j] + ah[j]);
        double z = LstmCellTest.sigmoid(ax[H + j] + ah[H + j]);
        double nn = Math.tanh(ax[2 * H + j] + r * ah[2 * H + j]);
        hNext[n * H + j] = (1 - z) * nn + z * h.get(n, j);
      }
    }
    RecurrentCell.State s = RecurrentChecks.stepOn(cell, v);
    assertArrayEquals(hNext, s.h().value().data, 1e-12);
  }

  @Test
  void gradientsOfOneStepPassTheCheckerToSecondOrder() {
    RecurrentChecks.checkStep(new GruCell(2, 3, new Random(3)), 2);
  }
}
