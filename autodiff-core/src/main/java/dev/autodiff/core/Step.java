package dev.autodiff.core;

import org.ejml.data.DMatrixRMaj;

/**
 * y = [x &gt; 0]: 1 where x &gt; 0, 0 where x ≤ 0, NaN for NaN;  x ← 0 (constant almost
 * everywhere).
 */
final class Step extends Unary {
  static final Step INSTANCE = new Step();

  private Step() {
    super("step", "[{0} > 0]");
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
      b[k] = a[k] > 0 ? 1 : a[k] <= 0 ? 0 : a[k]; // a NaN stays NaN
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
