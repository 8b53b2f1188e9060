package dev.autodiff.core;

import org.ejml.data.DMatrixRMaj;

/** y = x for x &gt; 0, αx elsewhere;  x ← g ⊙ (α + (1 − α)[x &gt; 0]): α at exactly 0. */
final class LeakyRelu extends Unary {
  private final double alpha;

  LeakyRelu(double alpha) {
    super("leakyRelu", null);
    if (!Double.isFinite(alpha)) {
      throw new IllegalArgumentException("leakyRelu: α must be finite, got " + alpha);
    }
    this.alpha = alpha;
  }

  @Override
  public String name() {
    return "leakyRelu(" + alpha + ")";
  }

  @Override
  public double[] kinks(int i) {
    return new double[] {0};
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    double[] a = x[0].data;
    double[] b = y.data;
    for (int k = 0, n = y.getNumElements(); k < n; k++) {
      b[k] = a[k] > 0 ? a[k] : alpha * a[k];
    }
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    return g.mul(y.input(0).step().scale(1 - alpha).add(alpha));
  }

  @Override
  public String gradientFormula(int i) {
    return "{g} ⊙ (" + alpha + " + " + (1 - alpha) + "[{0} > 0])";
  }
}
