package dev.autodiff.core;

import org.ejml.data.DMatrixRMaj;

/**
 * y = √x for x ≥ 0;  x ← g ⊘ 2y, and 0 at x = 0, where 1/(2√x) is unbounded: √(x²) = |x| then has
 * the subgradient 0 there rather than ∞·0 = NaN.
 */
final class Sqrt extends Unary {
  static final Sqrt INSTANCE = new Sqrt();

  private Sqrt() {
    super("sqrt", null);
  }

  @Override
  public Domain domain(int i) {
    return Domain.NON_NEGATIVE;
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    double[] a = x[0].data;
    double[] b = y.data;
    for (int k = 0, n = y.getNumElements(); k < n; k++) {
      b[k] = Math.sqrt(a[k]);
    }
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    return g.divNoNan(y.scale(2));
  }

  @Override
  public String gradientFormula(int i) {
    return "{g} ⊘ 2{y}";
  }
}
