package dev.autodiff.core.kernels;

import org.ejml.data.DMatrixRMaj;

/** Row-wise softmax and log-softmax, shifted by each row's maximum so logits of ±1000 stay finite. */
public final class Rows {
  private Rows() {}

  /** y = softmax(a) of each row. a Not modified; y Modified (a's shape). */
  public static void softmax(DMatrixRMaj a, DMatrixRMaj y) {
    apply(a, y, false);
  }

  /** y = a − log Σ exp(a) of each row. a Not modified; y Modified (a's shape). */
  public static void logSoftmax(DMatrixRMaj a, DMatrixRMaj y) {
    apply(a, y, true);
  }

  private static void apply(DMatrixRMaj a, DMatrixRMaj y, boolean log) {
    int cols = a.numCols;
    double[] X = a.data;
    double[] Y = y.data;
    for (int i = 0; i < a.numRows; i++) {
      int k = i * cols;
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < cols; j++) {
        max = Math.max(max, X[k + j]);
      }
      double sum = 0;
      for (int j = 0; j < cols; j++) {
        double e = Math.exp(X[k + j] - max);
        Y[k + j] = e;
        sum += e;
      }
      if (log) {
        double shift = max + Math.log(sum);
        for (int j = 0; j < cols; j++) {
          Y[k + j] = X[k + j] - shift;
        }
      } else {
        for (int j = 0; j < cols; j++) {
          Y[k + j] /= sum;
        }
      }
    }
  }
}
