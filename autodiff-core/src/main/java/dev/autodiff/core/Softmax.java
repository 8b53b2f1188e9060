package dev.autodiff.core;

import dev.autodiff.core.kernels.Rows;
import org.ejml.data.DMatrixRMaj;

/** y = softmax(x) of each row, stable for any logits;  x ← y ⊙ (g − Σ_row(g ⊙ y)). */
final class Softmax extends Unary {
  static final Softmax INSTANCE = new Softmax();

  private Softmax() {
    super("softmax", null);
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    Rows.softmax(x[0], y);
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    return y.mul(g.sub(g.mul(y).sumRows()));
  }

  @Override
  public String gradientFormula(int i) {
    return "{y} ⊙ ({g} − Σ_row({g} ⊙ {y}))";
  }
}
