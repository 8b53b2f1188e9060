package dev.autodiff.core;

import org.ejml.data.DMatrixRMaj;

/** y = min(max(x, lo), hi);  x ← g ⊙ [lo ≤ x ≤ hi]: the bounds themselves pass g, as in PyTorch. */
final class Clamp extends Unary {
  private final double lo;
  private final double hi;

  Clamp(double lo, double hi) {
    super("clamp", null);
    if (!(lo <= hi)) {
      throw new IllegalArgumentException("clamp: needs lo ≤ hi, got " + lo + " and " + hi);
    }
    this.lo = lo;
    this.hi = hi;
  }

  @Override
  public String name() {
    return "clamp(" + lo + ", " + hi + ")";
  }

  @Override
  public double[] kinks(int i) {
    return new double[] {lo, hi};
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    double[] a = x[0].data;
    double[] b = y.data;
    for (int k = 0, n = y.getNumElements(); k < n; k++) {
      b[k] = Math.min(Math.max(a[k], lo), hi); // a NaN stays NaN
    }
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    Node x = y.input(0);
    Node outside = x.neg().add(lo).step().add(x.sub(hi).step()); // [x < lo] + [x > hi]
    return g.mul(outside.neg().add(1));
  }

  @Override
  public String gradientFormula(int i) {
    return "{g} ⊙ [" + lo + " ≤ {0} ≤ " + hi + "]";
  }
}
