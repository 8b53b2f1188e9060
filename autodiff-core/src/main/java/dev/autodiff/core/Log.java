package dev.autodiff.core;

import org.ejml.data.DMatrixRMaj;

/** y = ln x for x &gt; 0;  x ← g ⊘ x. */
final class Log extends Unary {
  static final Log INSTANCE = new Log();

  private Log() {
    super("log", null);
  }

  @Override
  public Domain domain(int i) {
    return Domain.POSITIVE;
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    double[] a = x[0].data;
    double[] b = y.data;
    for (int k = 0, n = y.getNumElements(); k < n; k++) {
      b[k] = Math.log(a[k]);
    }
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    return g.div(y.input(0));
  }

  @Override
  public String gradientFormula(int i) {
    return "{g} ⊘ {0}";
  }
}
