package dev.autodiff.core;

import org.ejml.data.DMatrixRMaj;

/** y = αx for a finite constant α;  x ← αg. */
final class Scale extends Unary {
  final double alpha;

  Scale(double alpha) {
    super("scale", null);
    if (!Double.isFinite(alpha)) {
      throw new IllegalArgumentException("scale: α must be finite, got " + alpha);
    }
    this.alpha = alpha;
  }

  @Override
  public String name() {
    return "scale(" + alpha + ")"; // formatted when asked for, not on every call
  }

  @Override
  public String label() {
    return alpha + "·{0}";
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    double[] a = x[0].data;
    double[] b = y.data;
    for (int k = 0, n = y.getNumElements(); k < n; k++) {
      b[k] = alpha * a[k];
    }
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    return g.scale(alpha);
  }

  @Override
  public String gradientFormula(int i) {
    return alpha + "·{g}";
  }
}
