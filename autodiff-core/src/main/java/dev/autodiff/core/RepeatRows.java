package dev.autodiff.core;

import org.ejml.data.DMatrixRMaj;

/** y = x stacked n times, one copy below the other;  x ← the sum of g's n blocks. */
final class RepeatRows extends Primitive {
  private final int times;

  RepeatRows(int times) {
    super("repeatRows", 1, null);
    this.times = times;
  }

  @Override
  protected Shape shape(Node[] x) {
    if (times < 1) {
      throw new IllegalArgumentException("repeatRows: " + Shapes.describe(x[0])
          + " must be repeated at least once, got " + times);
    }
    return new Shape(x[0].rows() * times, x[0].cols());
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    int n = x[0].getNumElements();
    for (int t = 0; t < times; t++) {
      System.arraycopy(x[0].data, 0, y.data, t * n, n);
    }
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    Node x = y.input(0);
    // the n blocks of g, read row by row, are the rows of an n×(rows·cols) matrix
    return g.reshape(times, x.rows() * x.cols()).sumCols().reshape(x.rows(), x.cols());
  }

  @Override
  public String gradientFormula(int i) {
    return "Σ_blocks {g}";
  }
}
