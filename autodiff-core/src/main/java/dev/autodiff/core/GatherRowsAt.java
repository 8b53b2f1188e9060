package dev.autodiff.core;

import org.ejml.data.DMatrixRMaj;

/**
 * y = the rows of x at the ids in the node b, read row by row when y is computed (in a plan, at
 * every run): an embedding lookup of a batch of ids;  x ← g's rows added into the rows they came
 * from (scatterAddRowsAt) ;  b ← none (a constant of whole numbers).
 */
final class GatherRowsAt extends Primitive {
  static final GatherRowsAt INSTANCE = new GatherRowsAt();

  private GatherRowsAt() {
    super("gatherRowsAt", 2, null);
  }

  @Override
  protected Shape shape(Node[] x) {
    requireIds(name(), x[1]);
    return new Shape(x[1].rows() * x[1].cols(), x[0].cols());
  }

  /** Throws unless ids is a constant: no gradient goes to it. */
  static void requireIds(String op, Node ids) {
    if (ids.requiresGrad()) {
      throw new IllegalArgumentException(op + ": the ids " + Shapes.describe(ids)
          + " must be a constant: no gradient goes to them");
    }
  }

  @Override
  public Domain domain(int i) {
    return i == 1 ? Domain.INTEGER : Domain.ANY;
  }

  @Override
  void checkDomains(Node[] x, DMatrixRMaj[] v) {
    super.checkDomains(x, v);
    checkRange(name(), x[1], v[1], v[0].numRows, Shapes.describe(x[0]));
  }

  /**
   * Throws unless every id (value v of node ids, whole numbers) is a row of a matrix of that many
   * rows, described by {@code of}, naming the id's row and column.
   */
  static void checkRange(String op, Node ids, DMatrixRMaj v, int rows, String of) {
    for (int k = 0, n = v.getNumElements(); k < n; k++) {
      double id = v.data[k];
      if (id < 0 || id >= rows) {
        throw new IllegalArgumentException(op + ": id " + (long) id + " of " + ids.name()
            + " at (" + k / v.numCols + ", " + k % v.numCols + ") is not a row of the " + rows
            + " (0 to " + (rows - 1) + ") of " + of);
      }
    }
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
