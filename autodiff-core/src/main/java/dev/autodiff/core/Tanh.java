package dev.autodiff.core;

import org.ejml.data.DMatrixRMaj;

/** y = tanh x;  x ← g ⊙ (1 − y²). */
final class Tanh extends Unary {
  static final Tanh INSTANCE = new Tanh();

  private Tanh() {
    super("tanh", null);
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    double[] a = x[0].data;
    double[] b = y.data;
    for (int k = 0, n = y.getNumElements(); k < n; k++) {
      b[k] = Math.tanh(a[k]);
    }
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    return g.mul(y.square().neg().add(1));
  }

  @Override
  public String gradientFormula(int i) {
    return "{g} ⊙ (1 − {y}²)";
  }
}
