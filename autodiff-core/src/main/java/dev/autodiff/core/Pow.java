package dev.autodiff.core;

import org.ejml.data.DMatrixRMaj;

/**
 * y = xᵖ for a constant p: any x for an integer p ≥ 0, x ≠ 0 for an integer p &lt; 0, x ≥ 0 for
 * any other p &gt; 0 and x &gt; 0 for any other p &lt; 0;  x ← g ⊙ p·xᵖ⁻¹.
 */
final class Pow extends Unary {
  private final double p;

  Pow(double p) {
    super("pow", null);
    if (!Double.isFinite(p)) {
      throw new IllegalArgumentException("pow: the exponent must be finite, got " + p);
    }
    this.p = p;
  }

  @Override
  public String name() {
    return "pow(" + p + ")";
  }

  @Override
  public String label() {
    return "{0}^" + p;
  }

  @Override
  public Domain domain(int i) {
    boolean integer = p == Math.rint(p);
    return integer ? (p >= 0 ? Domain.ANY : Domain.NONZERO)
        : (p > 0 ? Domain.NON_NEGATIVE : Domain.POSITIVE);
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    double[] a = x[0].data;
    double[] b = y.data;
    for (int k = 0, n = y.getNumElements(); k < n; k++) {
      b[k] = Math.pow(a[k], p);
    }
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    return p == 0 ? null : p == 1 ? g : g.mul(y.input(0).pow(p - 1).scale(p));
  }

  @Override
  public String gradientFormula(int i) {
    return "{g} ⊙ " + p + "·{0}^" + (p - 1);
  }
}
