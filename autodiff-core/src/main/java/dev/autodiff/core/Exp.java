package dev.autodiff.core;

import org.ejml.data.DMatrixRMaj;

/** y = eˣ;  x ← g ⊙ y. */
final class Exp extends Unary {
  static final Exp INSTANCE = new Exp();

  private Exp() {
    super("exp", null);
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    double[] a = x[0].data;
    double[] b = y.data;
    for (int k = 0, n = y.getNumElements(); k < n; k++) {
      b[k] = Math.exp(a[k]);
    }
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    return g.mul(y);
  }

  @Override
  public String gradientFormula(int i) {
    return "{g} ⊙ {y}";
  }
}
