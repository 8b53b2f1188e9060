package dev.autodiff.core;

import org.ejml.data.DMatrixRMaj;

/**
 * y = x for x &gt; 0, α(eˣ − 1) elsewhere, α &gt; 0;  x ← g ⊙ ([x &gt; 0] + [x ≤ 0](y + α)), since
 * the derivative αeˣ is y + α there.
 */
final class Elu extends Unary {
  private final double alpha;

  Elu(double alpha) {
    super("elu", null);
    if (!(alpha > 0 && Double.isFinite(alpha))) {
      throw new IllegalArgumentException("elu: α must be finite and > 0, got " + alpha);
    }
    this.alpha = alpha;
  }

  @Override
  public String name() {
    return "elu(" + alpha + ")";
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
      b[k] = a[k] > 0 ? a[k] : alpha * Math.expm1(a[k]);
    }
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    Node positive = y.input(0).step();
    return g.mul(positive.add(y.add(alpha).mul(positive.neg().add(1))));
  }

  @Override
  public String gradientFormula(int i) {
    return "{g} ⊙ ([{0} > 0] + [{0} ≤ 0]({y} + " + alpha + "))";
  }
}
