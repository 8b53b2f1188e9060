package dev.autodiff.core;

import dev.autodiff.core.kernels.Broadcast;
import org.ejml.data.DMatrixRMaj;

/** y = x repeated along the axes in which x is 1, to rows×cols;  x ← g summed back along them. */
final class BroadcastTo extends Primitive {
  private final int rows;
  private final int cols;

  BroadcastTo(int rows, int cols) {
    super("broadcastTo", 1, null);
    this.rows = rows;
    this.cols = cols;
  }

  @Override
  protected Shape shape(Node[] x) {
    if ((x[0].rows() != 1 && x[0].rows() != rows) || (x[0].cols() != 1 && x[0].cols() != cols)) {
      throw new IllegalArgumentException("broadcastTo: cannot broadcast " + Shapes.describe(x[0])
          + " to " + Shapes.of(rows, cols) + ": each axis must match or be 1");
    }
    return new Shape(rows, cols);
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    Broadcast.broadcastTo(x[0], y);
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    Node x = y.input(0);
    return g.sumTo(x.rows(), x.cols());
  }

  @Override
  public String gradientFormula(int i) {
    return "Σ↓{g}";
  }
}
