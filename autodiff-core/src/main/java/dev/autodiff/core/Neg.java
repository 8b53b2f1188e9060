package dev.autodiff.core;

import org.ejml.data.DMatrixRMaj;

/** y = −x;  x ← −g. */
final class Neg extends Unary {
  static final Neg INSTANCE = new Neg();

  private Neg() {
    super("neg", "−{0}");
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    double[] a = x[0].data;
    double[] b = y.data;
    for (int k = 0, n = y.getNumElements(); k < n; k++) {
      b[k] = -a[k];
    }
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    return g.neg();
  }

  @Override
  public String gradientFormula(int i) {
    return "−{g}";
  }
}
