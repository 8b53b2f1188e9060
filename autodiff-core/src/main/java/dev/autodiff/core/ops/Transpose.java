package dev.autodiff.core.ops;

import dev.autodiff.core.Node;
import dev.autodiff.core.Op;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/** y = xᵀ;  x ← gᵀ. */
public final class Transpose implements Op {
  public static final Transpose INSTANCE = new Transpose();

  private Transpose() {}

  @Override
  public String name() {
    return "transpose";
  }

  @Override
  public DMatrixRMaj forward(Node... x) {
    Ops.arity(this, x, 1);
    return Ops.value(this, x, x[0].cols(), x[0].rows());
  }

  @Override
  public void recompute(Node[] x, DMatrixRMaj y) {
    CommonOps_DDRM.transpose(x[0].value(), y);
  }

  @Override
  public void backward(DMatrixRMaj g, DMatrixRMaj y, Node[] x, DMatrixRMaj[] gx) {
    if (gx[0] == null) {
      return;
    }
    DMatrixRMaj d = gx[0];
    int rows = g.numRows;
    int cols = g.numCols;
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        d.data[j * rows + i] += g.data[i * cols + j];
      }
    }
  }

  @Override
  public String gradientFormula(int i) {
    return "{g}ᵀ";
  }
}
