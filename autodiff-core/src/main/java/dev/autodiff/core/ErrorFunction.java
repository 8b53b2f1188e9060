package dev.autodiff.core;

import org.apache.commons.numbers.gamma.Erf;
import org.ejml.data.DMatrixRMaj;

/** y = erf x, from Apache Commons Numbers;  x ← g ⊙ (2/√π)e^(−x²). */
final class ErrorFunction extends Unary {
  static final ErrorFunction INSTANCE = new ErrorFunction();

  private ErrorFunction() {
    super("erf", null);
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    double[] a = x[0].data;
    double[] b = y.data;
    for (int k = 0, n = y.getNumElements(); k < n; k++) {
      b[k] = Erf.value(a[k]);
    }
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    return g.mul(y.input(0).square().neg().exp().scale(2 / Math.sqrt(Math.PI)));
  }

  @Override
  public String gradientFormula(int i) {
    return "{g} ⊙ (2/√π)e^(−{0}²)";
  }
}
