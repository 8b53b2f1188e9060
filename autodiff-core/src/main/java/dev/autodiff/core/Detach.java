package dev.autodiff.core;

import org.ejml.data.DMatrixRMaj;

/**
 * y = x, read as a constant from here on: no gradient flows back through it (PyTorch's
 * detach);  x ← 0.
 */
final class Detach extends Unary {
  static final Detach INSTANCE = new Detach();

  private Detach() {
    super("detach", "detach({0})");
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    System.arraycopy(x[0].data, 0, y.data, 0, y.getNumElements());
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
