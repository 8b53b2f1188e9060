package dev.autodiff.core;

import org.ejml.data.DMatrixRMaj;

/** y = eˣ;  x ← g ⊙ y. */
final class Exp extends Primitive {
  static final Exp INSTANCE = new Exp();

  private Exp() {
    super("exp", 1, null);
  }

  @Override
  protected Shape shape(Node[] x) {
    return x[0].shape();
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
