package dev.autodiff.core;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/** y = the mean of each row (m×1) or column (1×n) of n entries;  x ← g/n spread back along it. */
final class MeanAxis extends Primitive {
  private final boolean rows;

  MeanAxis(boolean rows) {
    super(rows ? "meanRows" : "meanCols", 1, null);
    this.rows = rows;
  }

  @Override
  protected Shape shape(Node[] x) {
    return rows ? new Shape(x[0].rows(), 1) : new Shape(1, x[0].cols());
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    if (rows) {
      CommonOps_DDRM.sumRows(x[0], y);
    } else {
      CommonOps_DDRM.sumCols(x[0], y);
    }
    CommonOps_DDRM.scale(1.0 / (rows ? x[0].numCols : x[0].numRows), y);
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    Node x = y.input(0);
    return g.scale(1.0 / (rows ? x.cols() : x.rows())).broadcastTo(x.rows(), x.cols());
  }

  @Override
  public String gradientFormula(int i) {
    return "{g}·1/n";
  }
}
