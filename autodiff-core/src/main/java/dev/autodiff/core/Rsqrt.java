package dev.autodiff.core;

import org.ejml.data.DMatrixRMaj;

/** y = 1/√x for x &gt; 0;  x ← −½g ⊙ y³. */
final class Rsqrt extends Unary {
  static final Rsqrt INSTANCE = new Rsqrt();

  private Rsqrt() {
    super("rsqrt", null);
  }

  @Override
  public Domain domain(int i) {
    return Domain.POSITIVE;
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    double[] a = x[0].data;
    double[] b = y.data;
    for (int k = 0, n = y.getNumElements(); k < n; k++) {
      b[k] = 1 / Math.sqrt(a[k]);
    }
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    return g.mul(y.square().mul(y)).scale(-0.5);
  }

  @Override
  public String gradientFormula(int i) {
    return "−½{g} ⊙ {y}³";
  }
}
