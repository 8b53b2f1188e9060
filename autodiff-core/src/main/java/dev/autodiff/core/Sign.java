package dev.autodiff.core;

import org.ejml.data.DMatrixRMaj;

/** y = sign(x): −1, 0 or 1 (NaN for NaN);  x ← 0 (constant almost everywhere). */
final class Sign extends Unary {
  static final Sign INSTANCE = new Sign();

  private Sign() {
    super("sign", null);
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
      b[k] = Math.signum(a[k]);
    }
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    return null;
  }

  @Override
  public String gradientFormula(int i) {
    return "0";
  }
}
