package dev.autodiff.core;

import org.ejml.data.DMatrixRMaj;

/** y = cos x;  x ← −g ⊙ sin x. */
final class Cos extends Unary {
  static final Cos INSTANCE = new Cos();

  private Cos() {
    super("cos", null);
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    double[] a = x[0].data;
    double[] b = y.data;
    for (int k = 0, n = y.getNumElements(); k < n; k++) {
      b[k] = Math.cos(a[k]);
    }
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    return g.mul(y.input(0).sin()).neg();
  }

  @Override
  public String gradientFormula(int i) {
    return "−{g} ⊙ sin({0})";
  }
}
