package dev.autodiff.core;

import org.ejml.data.DMatrixRMaj;

/**
 * y = the rows ids[0], ids[1], … of x, in that order (an embedding lookup);  x ← g's rows added
 * into the rows they came from (scatterAddRows), at a cost of ids × width.
 */
final class GatherRows extends Primitive {
  private final int[] ids;

  GatherRows(int[] ids) {
    super("gatherRows", 1, null);
    this.ids = ids.clone();
  }

  @Override
  protected Shape shape(Node[] x) {
    ScatterAddRows.check(name(), ids, x[0].rows(), x[0]);
    return new Shape(ids.length, x[0].cols());
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    int cols = y.numCols;
    for (int i = 0; i < ids.length; i++) {
      System.arraycopy(x[0].data, ids[i] * cols, y.data, i * cols, cols);
    }
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    return g.scatterAddRows(ids, y.input(0).rows());
  }

  @Override
  public String gradientFormula(int i) {
    return "scatterAdd({g})";
  }
}
