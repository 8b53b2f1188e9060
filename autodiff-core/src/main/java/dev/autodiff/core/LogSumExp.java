package dev.autodiff.core;

import dev.autodiff.core.kernels.Reductions;
import org.ejml.data.DMatrixRMaj;

/**
 * y = log Σ exp of each row (m×1) or column (1×n), stable for logits of ±1000;  x ← g ⊙ e^(x − y),
 * the softmax of the line.
 */
final class LogSumExp extends AlongAxis {
  LogSumExp(boolean rows) {
    super("logSumExp", rows);
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
