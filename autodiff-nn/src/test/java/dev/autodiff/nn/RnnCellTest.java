package dev.autodiff.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Map;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class RnnCellTest {
  @Test
  void oneStepIsTanhOfTheTwoProductsPlusTheBias() {
    RnnCell cell = new RnnCell(3, 2, new Random(1));
    Map<String, DMatrixRMaj> in = RecurrentChecks.stepInputs(cell, 2, 2);
    DMatrixRMaj Wx = cell.namedParameters().get("Wx").value();
    DMatrixRMaj Wh = cell.namedParameters().get("Wh").value();
    DMatrixRMaj b = cell.namedParameters().get("b").value();
    DMatrixRMaj x = in.get("x");
    DMatrixRMaj h = in.get("h");
    double[] expected = new double[4];
    for (int n = 0; n < 2; n++) {
      for (int k = 0; k < 2; k++) {
        expected[n * 2 + k] = Math.tanh(b.get(0, k) + RecurrentChecks.dot(x, n, Wx, k)
            + RecurrentChecks.dot(h, n, Wh, k));
      }
    }
    RecurrentCell.State s = RecurrentChecks.stepOn(cell, in);
    assertArrayEquals(expected, s.h().value().data, 1e-12);
  }

  @Test
  void gradientsOfOneStepPassTheCheckerToSecondOrder() {
    RecurrentChecks.checkStep(new RnnCell(2, 3, new Random(3)), 2);
  }
}
