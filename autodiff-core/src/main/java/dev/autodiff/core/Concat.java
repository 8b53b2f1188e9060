package dev.autodiff.core;

import org.ejml.data.DMatrixRMaj;

/**
 * y = the inputs stacked, one below the other (concatRows, equal widths) or side by side
 * (concatCols, equal heights);  xᵢ ← g sliced where xᵢ is.
 */
final class Concat extends Primitive {
  private final boolean rows;

  Concat(boolean rows, int count) {
    super(rows ? "concatRows" : "concatCols", count, null);
    this.rows = rows;
  }

  @Override
  protected Shape shape(Node[] x) {
    if (x.length == 0) {
      throw new IllegalArgumentException(name() + ": nothing to concatenate");
    }
    int total = 0;
    for (Node n : x) {
      if ((rows ? n.cols() : n.rows()) != (rows ? x[0].cols() : x[0].rows())) {
        throw new IllegalArgumentException(name() + ": " + Shapes.describe(n) + " and "
            + Shapes.describe(x[0]) + " must have the same " + (rows ? "width" : "height"));
      }
      total += rows ? n.rows() : n.cols();
    }
    return rows ? new Shape(total, x[0].cols()) : new Shape(x[0].rows(), total);
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    int offset = 0;
    for (DMatrixRMaj a : x) {
      for (int i = 0; i < a.numRows; i++) {
        int target = rows ? (offset + i) * y.numCols : i * y.numCols + offset;
        System.arraycopy(a.data, i * a.numCols, y.data, target, a.numCols);
      }
      offset += rows ? a.numRows : a.numCols;
    }
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    int from = 0;
    for (int k = 0; k < i; k++) {
      from += rows ? y.input(k).rows() : y.input(k).cols();
    }
    Node x = y.input(i);
    return rows ? g.sliceRows(from, from + x.rows()) : g.sliceCols(from, from + x.cols());
  }

  @Override
  public String gradientFormula(int i) {
    return "slice({g})";
  }
}
