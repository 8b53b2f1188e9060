package dev.autodiff.core.kernels;

/** Scalar functions written so that no intermediate overflows. */
public final class Stable {
  private Stable() {}

  /** The logistic function 1/(1 + e^(−x)), finite for any x: e^(−|x|) never overflows. */
  public static double sigmoid(double x) {
    double e = Math.exp(-Math.abs(x));
    return x >= 0 ? 1 / (1 + e) : e / (1 + e);
  }
}
