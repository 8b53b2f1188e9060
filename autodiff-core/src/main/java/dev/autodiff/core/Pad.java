package dev.autodiff.core;

import org.ejml.data.DMatrixRMaj;

/**
 * y = x with `before` rows (or columns) of zeros above (left of) it and `after` below (right of)
 * it, padRows and padCols;  x ← g sliced back to where x is.
 */
final class Pad extends Primitive {
  private final boolean rows;
  private final int before;
  private final int after;

  Pad(boolean rows, int before, int after) {
    super(rows ? "padRows" : "padCols", 1, null);
    this.rows = rows;
    this.before = before;
    this.after = after;
  }

  @Override
  protected Shape shape(Node[] x) {
    if (before < 0 || after < 0) {
      throw new IllegalArgumentException(name() + ": the padding must be ≥ 0, got " + before
          + " and " + after + " for " + Shapes.describe(x[0]));
    }
    int extra = before + after;
    return rows ? new Shape(x[0].rows() + extra, x[0].cols())
        : new Shape(x[0].rows(), x[0].cols() + extra);
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    DMatrixRMaj a = x[0];
    y.zero();
    for (int i = 0; i < a.numRows; i++) {
      int target = rows ? (before + i) * y.numCols : i * y.numCols + before;
      System.arraycopy(a.data, i * a.numCols, y.data, target, a.numCols);
    }
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    Node x = y.input(0);
    return rows ? g.sliceRows(before, before + x.rows()) : g.sliceCols(before, before + x.cols());
  }

  @Override
  public String gradientFormula(int i) {
    return "slice({g})";
  }
}
