package dev.autodiff.core;

import dev.autodiff.core.kernels.Reductions;
import org.ejml.data.DMatrixRMaj;

/**
 * y = log Σ exp of each row (m×1) or column (1×n), stable for logits of ±1000;  x ← g ⊙ e^(x − y),
 * the softmax of the line.
 */
final class LogSumExp extends Primitive {
  private final boolean rows;

  LogSumExp(boolean rows) {
    super(rows ? "logSumExpRows" : "logSumExpCols", 1, null);
    this.rows = rows;
  }

  @Override
  protected Shape shape(Node[] x) {
    return rows ? new Shape(x[0].rows(), 1) : new Shape(1, x[0].cols());
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    Reductions.logSumExp(x[0], rows, y);
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    return y.input(0).sub(y).exp().mul(g); // y and g broadcast along each line
  }

  @Override
  public String gradientFormula(int i) {
    return "{g} ⊙ e^({0} − {y})";
  }
}
