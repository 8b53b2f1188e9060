package dev.autodiff.core;

import org.ejml.data.DMatrixRMaj;

/**
 * y = log(1 + eˣ), written max(x, 0) + log(1 + e^(−|x|)) so that it is finite for any x;
 * x ← g ⊙ σ(x).
 */
final class Softplus extends Unary {
  static final Softplus INSTANCE = new Softplus();

  private Softplus() {
    super("softplus", null);
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    double[] a = x[0].data;
    double[] b = y.data;
    for (int k = 0, n = y.getNumElements(); k < n; k++) {
      b[k] = Math.max(a[k], 0) + Math.log1p(Math.exp(-Math.abs(a[k])));
    }
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    return g.mul(y.input(0).sigmoid());
  }

  @Override
  public String gradientFormula(int i) {
    return "{g} ⊙ σ({0})";
  }
}
