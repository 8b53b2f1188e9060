package dev.autodiff.core;

import dev.autodiff.core.kernels.Reductions;
import org.ejml.data.DMatrixRMaj;

/**
 * y = (1/n) Σ (x − x̄)² of each row (m×1) or column (1×n), the population variance (layer
 * norm's);  x ← (2/n) g ⊙ (x − x̄).
 */
final class Variance extends AlongAxis {
  Variance(boolean rows) {
    super("variance", rows);
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    Reductions.variance(x[0], rows, y);
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    Node x = y.input(0);
    Node centred = x.sub(rows ? x.meanRows() : x.meanCols());
    return centred.mul(g).scale(2.0 / lineLength(x));
  }

  @Override
  public String gradientFormula(int i) {
    return "(2/n){g} ⊙ ({0} − mean({0}))";
  }
}
