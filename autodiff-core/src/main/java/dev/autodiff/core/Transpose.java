package dev.autodiff.core;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/** y = xᵀ;  x ← gᵀ. */
final class Transpose extends Primitive {
  static final Transpose INSTANCE = new Transpose();

  private Transpose() {
    super("transpose", 1, "{0}ᵀ");
  }

  @Override
  protected Shape shape(Node[] x) {
    return new Shape(x[0].cols(), x[0].rows());
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    CommonOps_DDRM.transpose(x[0], y);
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    return g.transpose();
  }

  @Override
  public String gradientFormula(int i) {
    return "{g}ᵀ";
  }
}
