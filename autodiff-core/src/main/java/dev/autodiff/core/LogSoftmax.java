package dev.autodiff.core;

import dev.autodiff.core.kernels.Rows;
import org.ejml.data.DMatrixRMaj;

/** y = x − log Σ exp(x) of each row, stable for any logits;  x ← g − softmax(x) ⊙ Σ_row g. */
final class LogSoftmax extends Unary {
  static final LogSoftmax INSTANCE = new LogSoftmax();

  private LogSoftmax() {
    super("logSoftmax", null);
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    Rows.logSoftmax(x[0], y);
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    return g.sub(y.exp().mul(g.sumRows()));
  }

  @Override
  public String gradientFormula(int i) {
    return "{g} − softmax({0}) ⊙ Σ_row {g}";
  }
}
