package dev.autodiff.core;

import org.ejml.data.DMatrixRMaj;

/** y = max(0, x);  x ← g ⊙ [y &gt; 0]: the derivative at exactly 0 is taken as 0, as in PyTorch. */
final class Relu extends Unary {
  static final Relu INSTANCE = new Relu();

  private Relu() {
    super("relu", "ReLU({0})");
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
      b[k] = Math.max(a[k], 0.0); // passes a NaN on
    }
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    return g.maskedBy(y);
  }

  @Override
  public String gradientFormula(int i) {
    return "{g} ⊙ ReLU'({0})";
  }
}
