package dev.autodiff.core;

import org.ejml.data.DMatrixRMaj;

/** y = 1/x for x ≠ 0;  x ← −g ⊙ y². */
final class Reciprocal extends Unary {
  static final Reciprocal INSTANCE = new Reciprocal();

  private Reciprocal() {
    super("reciprocal", "1/{0}");
  }

  @Override
  public Domain domain(int i) {
    return Domain.NONZERO;
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    double[] a = x[0].data;
    double[] b = y.data;
    for (int k = 0, n = y.getNumElements(); k < n; k++) {
      b[k] = 1 / a[k];
    }
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    return g.mul(y.square()).neg();
  }

  @Override
  public String gradientFormula(int i) {
    return "−{g} ⊙ {y}²";
  }
}
