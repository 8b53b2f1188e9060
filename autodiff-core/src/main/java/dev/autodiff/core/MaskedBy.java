package dev.autodiff.core;

import org.ejml.data.DMatrixRMaj;

/**
 * y = x ⊙ [m &gt; 0], x where m is positive and 0 elsewhere: the gradient through relu, masked by its
 * output (PyTorch's threshold_backward);  x ← g ⊙ [m &gt; 0] ;  m ← 0 (constant almost everywhere).
 */
final class MaskedBy extends Primitive {
  static final MaskedBy INSTANCE = new MaskedBy();

  private MaskedBy() {
    super("maskedBy", 2, "{0} ⊙ [{1} > 0]");
  }

  @Override
  protected Shape shape(Node[] x) {
    Shapes.requireSame(name(), x[0], x[1]);
    return x[0].shape();
  }

  @Override
  public double[] kinks(int i) {
    return i == 1 ? new double[] {0} : super.kinks(i);
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    double[] a = x[0].data;
    double[] m = x[1].data;
    double[] b = y.data;
    for (int k = 0, n = y.getNumElements(); k < n; k++) {
      b[k] = a[k] * (m[k] > 0 ? 1.0 : m[k] <= 0 ? 0.0 : m[k]); // x ⊙ step(m): NaNs stay NaN
    }
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    return i == 0 ? g.maskedBy(y.input(1)) : null;
  }

  @Override
  public String gradientFormula(int i) {
    return i == 0 ? "{g} ⊙ [{1} > 0]" : "0";
  }
}
