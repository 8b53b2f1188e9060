package dev.autodiff.core;

import dev.autodiff.core.kernels.Broadcast;
import org.ejml.data.DMatrixRMaj;

/**
 * y = x summed over the axes in which rows×cols is 1: sum (1×1), sumRows (m×1), sumCols (1×n);
 * x ← g repeated back along them.
 */
final class SumTo extends Primitive {
  private final int rows;
  private final int cols;

  SumTo(int rows, int cols) {
    super(rows == 1 && cols == 1 ? "sum" : cols == 1 ? "sumRows" : "sumCols", 1, null);
    this.rows = rows;
    this.cols = cols;
  }

  @Override
  protected Shape shape(Node[] x) {
    if ((rows != 1 && rows != x[0].rows()) || (cols != 1 && cols != x[0].cols())) {
      throw new IllegalArgumentException("sumTo: cannot sum " + Shapes.describe(x[0]) + " to "
          + Shapes.of(rows, cols) + ": each axis must keep its size or become 1");
    }
    return new Shape(rows, cols);
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    Broadcast.sumTo(x[0], y);
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    Node x = y.input(0);
    return g.broadcastTo(x.rows(), x.cols());
  }

  @Override
  public String gradientFormula(int i) {
    return rows == 1 && cols == 1 ? "{g}·1" : cols == 1 ? "{g}·1ᵀ" : "1·{g}";
  }
}
