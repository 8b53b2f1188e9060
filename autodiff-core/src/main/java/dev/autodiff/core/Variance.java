package dev.autodiff.core;

import dev.autodiff.core.kernels.Reductions;
import org.ejml.data.DMatrixRMaj;

/**
 * y = (1/n) Σ (x − x̄)² of each row (m×1) or column (1×n), the population variance (layer
 * norm's);  x ← (2/n) g ⊙ (x − x̄).
 */
final class Variance extends Primitive {
  private final boolean rows;

  Variance(boolean rows) {
    super(rows ? "varianceRows" : "varianceCols", 1, null);
    this.rows = rows;
  }

  @Override
  protected Shape shape(Node[] x) {
    return rows ? new Shape(x[0].rows(), 1) : new Shape(1, x[0].cols());
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    Reductions.variance(x[0], rows, y);
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    Node x = y.input(0);
    Node centred = x.sub(rows ? x.meanRows() : x.meanCols());
    return centred.mul(g).scale(2.0 / (rows ? x.cols() : x.rows()));
  }

  @Override
  public String gradientFormula(int i) {
    return "(2/n){g} ⊙ ({0} − mean({0}))";
  }
}
