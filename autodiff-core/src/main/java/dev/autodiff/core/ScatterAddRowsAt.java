package dev.autodiff.core;

import org.ejml.data.DMatrixRMaj;

/**
 * y = zeros of `rows` rows with row k of x added into the row at id k of the node b, ids read row
 * by row when y is computed (an embedding's gradient going back to its table);  x ← g's rows at
 * the ids (gatherRowsAt) ;  b ← none (a constant of whole numbers).
 */
final class ScatterAddRowsAt extends RowIds {
  private final int rows;

  ScatterAddRowsAt(int rows) {
    super("scatterAddRowsAt");
    this.rows = rows;
  }

  @Override
  protected Shape shape(Node[] x) {
    int ids = ids(x);
    if (rows < 1) {
      throw new IllegalArgumentException(name() + ": " + Shapes.describe(x[0])
          + " needs at least 1 row to add into, got " + rows);
    }
    if (x[0].rows() != ids) {
      throw new IllegalArgumentException(name() + ": " + Shapes.describe(x[0]) + " needs one row"
          + " per id, and " + Shapes.describe(x[1]) + " holds " + ids);
    }
    return new Shape(rows, x[0].cols());
  }

  @Override
  int rows(Node[] x, DMatrixRMaj[] v) {
    return rows;
  }

  @Override
  String indexed(Node[] x) {
    return "the result (" + Shapes.of(rows, x[0].cols()) + ")";
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    y.zero();
    int cols = y.numCols;
    double[] ids = x[1].data;
    for (int i = 0, n = x[0].numRows; i < n; i++) {
      for (int j = 0, t = (int) ids[i] * cols, s = i * cols; j < cols; j++) {
        y.data[t + j] += x[0].data[s + j];
      }
    }
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    return i == 0 ? g.gatherRows(y.input(1)) : null;
  }

  @Override
  public String gradientFormula(int i) {
    return i == 0 ? "gather({g}, {1})" : "0";
  }
}
