package dev.autodiff.core;

import org.ejml.data.DMatrixRMaj;

/**
 * y = rows [from, to) of x (sliceRows), or its columns [from, to) (sliceCols);  x ← g padded back
 * with zeros where the rest was.
 */
final class Slice extends Primitive {
  private final boolean rows;
  private final int from;
  private final int to;

  Slice(boolean rows, int from, int to) {
    super(rows ? "sliceRows" : "sliceCols", 1, null);
    this.rows = rows;
    this.from = from;
    this.to = to;
  }

  @Override
  protected Shape shape(Node[] x) {
    int size = rows ? x[0].rows() : x[0].cols();
    String of = size + (rows ? " rows" : " columns") + " of " + Shapes.describe(x[0]);
    if (from >= to) {
      throw new IllegalArgumentException(name() + ": [" + from + ", " + to + ") selects none of"
          + " the " + of);
    }
    if (from < 0 || to > size) {
      throw new IllegalArgumentException(name() + ": [" + from + ", " + to + ") is outside the "
          + of);
    }
    return rows ? new Shape(to - from, x[0].cols()) : new Shape(x[0].rows(), to - from);
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    DMatrixRMaj a = x[0];
    for (int i = 0; i < y.numRows; i++) {
      int source = rows ? (from + i) * a.numCols : i * a.numCols + from;
      System.arraycopy(a.data, source, y.data, i * y.numCols, y.numCols);
    }
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    int size = rows ? y.input(0).rows() : y.input(0).cols();
    return rows ? g.padRows(from, size - to) : g.padCols(from, size - to);
  }

  @Override
  public String gradientFormula(int i) {
    return "pad({g})";
  }
}
