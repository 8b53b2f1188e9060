package dev.autodiff.core;

import org.ejml.data.DMatrixRMaj;

/** y = |x|;  x ← g ⊙ sign(x): the derivative at 0 is taken as 0, a subgradient. */
final class Abs extends Unary {
  static final Abs INSTANCE = new Abs();

  private Abs() {
    super("abs", "|{0}|");
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
      b[k] = Math.abs(a[k]);
    }
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    return g.mul(y.input(0).sign());
  }

  @Override
  public String gradientFormula(int i) {
    return "{g} ⊙ sign({0})";
  }
}
