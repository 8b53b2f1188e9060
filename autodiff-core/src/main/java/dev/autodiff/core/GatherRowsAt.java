package dev.autodiff.core;

import org.ejml.data.DMatrixRMaj;

/**
 * y = the rows of x at the ids in the node b, read row by row when y is computed (in a plan, at
 * every run): an embedding lookup of a batch of ids;  x ← g's rows added into the rows they came
 * from (scatterAddRowsAt) ;  b ← none (a constant of whole numbers).
 */
final class GatherRowsAt extends RowIds {
  static final GatherRowsAt INSTANCE = new GatherRowsAt();

  private GatherRowsAt() {
    super("gatherRowsAt");
  }

  @Override
  protected Shape shape(Node[] x) {
    return new Shape(ids(x), x[0].cols());
  }

  @Override
  int rows(Node[] x, DMatrixRMaj[] v) {
    return v[0].numRows;
  }

  @Override
  String indexed(Node[] x) {
    return Shapes.describe(x[0]);
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    int cols = y.numCols;
    double[] ids = x[1].data;
    for (int i = 0, n = y.numRows; i < n; i++) {
      System.arraycopy(x[0].data, (int) ids[i] * cols, y.data, i * cols, cols);
    }
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    return i == 0 ? g.scatterAddRows(y.input(1), y.input(0).rows()) : null;
  }

  @Override
  public String gradientFormula(int i) {
    return i == 0 ? "scatterAdd({g}, {1})" : "0";
  }
}
