package dev.autodiff.core;

import org.ejml.data.DMatrixRMaj;

/** y = x's entries, read row by row, as rows×cols (the same count);  x ← g reshaped back. */
final class Reshape extends Primitive {
  private final int rows;
  private final int cols;

  Reshape(int rows, int cols) {
    super("reshape", 1, null);
    this.rows = rows;
    this.cols = cols;
  }

  @Override
  protected Shape shape(Node[] x) {
    if (rows <= 0 || cols <= 0 || (long) rows * cols != (long) x[0].rows() * x[0].cols()) {
      throw new IllegalArgumentException("reshape: cannot read " + Shapes.describe(x[0]) + " as "
          + Shapes.of(rows, cols) + ": the count of entries must stay " + x[0].rows() * x[0].cols());
    }
    return new Shape(rows, cols);
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    System.arraycopy(x[0].data, 0, y.data, 0, y.getNumElements());
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    return g.reshape(y.input(0).rows(), y.input(0).cols());
  }

  @Override
  public String gradientFormula(int i) {
    return "reshape({g})";
  }
}
