package dev.autodiff.core.kernels;

import org.ejml.data.DMatrixRMaj;

/**
 * Reductions of each row (to m×1) or each column (to 1×n): extremes, log-sum-exp and variance,
 * and the one-hot mask of where each extreme is. A NaN in a row makes its result NaN.
 */
public final class Reductions {
  private Reductions() {}

  /**
   * y = the max (or min) of each row of a (rows: y m×1) or each column (y 1×n). a Not modified; y
   * Modified.
   */
  public static void extreme(DMatrixRMaj a, boolean rows, boolean max, DMatrixRMaj y) {
    int outer = rows ? a.numRows : a.numCols;
    for (int o = 0; o < outer; o++) {
      y.data[o] = a.data[first(a, rows, o, max)];
    }
  }

  /**
   * m = 1 at the first max (or min) of each row (or column) of a and 0 elsewhere; for a line
   * holding a NaN, at its first NaN. a Not modified; m Modified (a's shape).
   */
  public static void extremeMask(DMatrixRMaj a, boolean rows, boolean max, DMatrixRMaj m) {
    m.zero();
    int outer = rows ? a.numRows : a.numCols;
    for (int o = 0; o < outer; o++) {
      m.data[first(a, rows, o, max)] = 1;
    }
  }

  /** The index in a.data of line o's first extreme (or first NaN). */
  private static int first(DMatrixRMaj a, boolean rows, int o, boolean max) {
    int inner = rows ? a.numCols : a.numRows;
    int start = rows ? o * a.numCols : o;
    int step = rows ? 1 : a.numCols;
    int best = start;
    for (int i = 1, k = start + step; i < inner; i++, k += step) {
      double v = a.data[k];
      double b = a.data[best];
      if (Double.isNaN(b)) {
        break;
      }
      if (Double.isNaN(v) || (max ? v > b : v < b)) {
        best = k;
      }
    }
    return best;
  }

  /**
   * y = log Σ exp of each row (or column), shifted by its max so that logits of ±1000 stay
   * finite. a Not modified; y Modified.
   */
  public static void logSumExp(DMatrixRMaj a, boolean rows, DMatrixRMaj y) {
    int outer = rows ? a.numRows : a.numCols;
    int inner = rows ? a.numCols : a.numRows;
    int step = rows ? 1 : a.numCols;
    for (int o = 0; o < outer; o++) {
      int start = rows ? o * a.numCols : o;
      double m = a.data[first(a, rows, o, true)];
      if (Double.isInfinite(m) || Double.isNaN(m)) {
        y.data[o] = m; // all −∞ gives −∞; a +∞ gives +∞; a NaN gives NaN
        continue;
      }
      double s = 0;
      for (int i = 0, k = start; i < inner; i++, k += step) {
        s += Math.exp(a.data[k] - m);
      }
      y.data[o] = m + Math.log(s);
    }
  }

  /**
   * y = the variance of each row (or column), (1/n) Σ (x − mean)², in two passes for accuracy.
   * a Not modified; y Modified.
   */
  public static void variance(DMatrixRMaj a, boolean rows, DMatrixRMaj y) {
    int outer = rows ? a.numRows : a.numCols;
    int inner = rows ? a.numCols : a.numRows;
    int step = rows ? 1 : a.numCols;
    for (int o = 0; o < outer; o++) {
      int start = rows ? o * a.numCols : o;
      double mean = 0;
      for (int i = 0, k = start; i < inner; i++, k += step) {
        mean += a.data[k];
      }
      mean /= inner;
      double s = 0;
      for (int i = 0, k = start; i < inner; i++, k += step) {
        double d = a.data[k] - mean;
        s += d * d;
      }
      y.data[o] = s / inner;
    }
  }
}
