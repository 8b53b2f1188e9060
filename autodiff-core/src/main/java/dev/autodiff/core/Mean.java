package dev.autodiff.core;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/** y = Σx / N over all N entries (1×1);  x ← g·1/N. */
final class Mean extends Primitive {
  static final Mean INSTANCE = new Mean();

  private Mean() {
    super("mean", 1, null);
  }

  @Override
  protected Shape shape(Node[] x) {
    return new Shape(1, 1);
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    y.data[0] = CommonOps_DDRM.elementSum(x[0]) / x[0].getNumElements();
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    Node x = y.input(0);
    return g.scale(1.0 / (x.rows() * x.cols())).broadcastTo(x.rows(), x.cols());
  }

  @Override
  public String gradientFormula(int i) {
    return "{g}·1/N";
  }
}
