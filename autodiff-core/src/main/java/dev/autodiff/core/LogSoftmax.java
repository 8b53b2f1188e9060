package dev.autodiff.core;

import dev.autodiff.core.kernels.Rows;
import org.ejml.data.DMatrixRMaj;

/** y = x − log Σ exp(x) of each row, stable for any logits;  x ← g − softmax(x) ⊙ Σ_row g. */
final class LogSoftmax extends Primitive {
  static final LogSoftmax INSTANCE = new LogSoftmax();

  private LogSoftmax() {
    super("logSoftmax", 1, null);
  }

  @Override
  protected Shape shape(Node[] x) {
    return x[0].shape();
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
