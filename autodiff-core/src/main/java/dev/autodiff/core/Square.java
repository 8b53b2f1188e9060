package dev.autodiff.core;

import org.ejml.data.DMatrixRMaj;

/** y = x²;  x ← g ⊙ 2x. */
final class Square extends Unary {
  static final Square INSTANCE = new Square();

  private Square() {
    super("square", "{0}²");
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    double[] a = x[0].data;
    double[] b = y.data;
    for (int k = 0, n = y.getNumElements(); k < n; k++) {
      b[k] = a[k] * a[k];
    }
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    return g.mul(y.input(0).scale(2));
  }

  @Override
  public String gradientFormula(int i) {
    return "{g} ⊙ 2{0}";
  }
}
