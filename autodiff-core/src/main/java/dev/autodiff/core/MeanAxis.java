package dev.autodiff.core;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/** y = the mean of each row (m×1) or column (1×n) of n entries;  x ← g/n spread back along it. */
final class MeanAxis extends AlongAxis {
  MeanAxis(boolean rows) {
    super("mean", rows);
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
    return g.scale(1.0 / lineLength(x)).broadcastTo(x.rows(), x.cols());
  }

  @Override
  public String gradientFormula(int i) {
    return "{g}·1/n";
  }
}
