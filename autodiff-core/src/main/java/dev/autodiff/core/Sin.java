package dev.autodiff.core;

import org.ejml.data.DMatrixRMaj;

/** y = sin x;  x ← g ⊙ cos x. */
final class Sin extends Unary {
  static final Sin INSTANCE = new Sin();

  private Sin() {
    super("sin", null);
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    double[] a = x[0].data;
    double[] b = y.data;
    for (int k = 0, n = y.getNumElements(); k < n; k++) {
      b[k] = Math.sin(a[k]);
    }
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    return g.mul(y.input(0).cos());
  }

  @Override
  public String gradientFormula(int i) {
    return "{g} ⊙ cos({0})";
  }
}
