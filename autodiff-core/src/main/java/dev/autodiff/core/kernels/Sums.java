package dev.autodiff.core.kernels;

import org.ejml.data.DMatrixRMaj;

/** Reductions over every entry of a matrix. */
public final class Sums {
  private Sums() {}

  /**
   * Σ a², in eight independent sums: one sum waits on each addition in turn, eight keep both of the
   * CPU's adders busy (about twice as fast as four at 1024 entries). a Not modified.
   */
  public static double ofSquares(DMatrixRMaj a) {
    double[] d = a.data;
    int n = a.getNumElements();
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    double s4 = 0;
    double s5 = 0;
    double s6 = 0;
    double s7 = 0;
    int k = 0;
    for (; k + 7 < n; k += 8) {
      s0 += d[k] * d[k];
      s1 += d[k + 1] * d[k + 1];
      s2 += d[k + 2] * d[k + 2];
      s3 += d[k + 3] * d[k + 3];
      s4 += d[k + 4] * d[k + 4];
      s5 += d[k + 5] * d[k + 5];
      s6 += d[k + 6] * d[k + 6];
      s7 += d[k + 7] * d[k + 7];
    }
    for (; k < n; k++) {
      s0 += d[k] * d[k];
    }
    return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
  }

  /**
   * ‖a‖_F. Entries so small or large that their squares would underflow or overflow are scaled by
   * the largest first; a NaN entry gives NaN (never a number), an infinite one ∞. a Not modified.
   */
  public static double norm(DMatrixRMaj a) {
    double s = ofSquares(a);
    if (s >= 1e-280 && s <= 1e280) {
      return Math.sqrt(s);
    }
    if (Double.isNaN(s)) {
      return Double.NaN;
    }
    double[] d = a.data;
    int n = a.getNumElements();
    double max = 0;
    for (int k = 0; k < n; k++) {
      max = Math.max(max, Math.abs(d[k]));
    }
    if (max == 0 || Double.isInfinite(max)) {
      return max;
    }
    double t = 0;
    for (int k = 0; k < n; k++) {
      double v = d[k] / max;
      t += v * v;
    }
    return max * Math.sqrt(t);
  }
}
