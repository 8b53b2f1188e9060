package dev.autodiff.core;

import org.ejml.data.DMatrixRMaj;

/**
 * y = zeros of `rows` rows with row i of x added into row ids[i], for every i (a gathered
 * gradient going back to its table);  x ← g's rows ids[0], ids[1], … (gatherRows).
 */
final class ScatterAddRows extends Primitive {
  private final int[] ids;
  private final int rows;

  ScatterAddRows(int[] ids, int rows) {
    super("scatterAddRows", 1, null);
    this.ids = ids.clone();
    this.rows = rows;
  }

  @Override
  protected Shape shape(Node[] x) {
    check(name(), ids, rows, x[0]);
    if (x[0].rows() != ids.length) {
      throw new IllegalArgumentException(name() + ": " + Shapes.describe(x[0]) + " needs one row"
          + " per id, and there are " + ids.length + " ids");
    }
    return new Shape(rows, x[0].cols());
  }

  /** Throws unless ids is not empty and each id is a row of a matrix of that many rows. */
  static void check(String op, int[] ids, int rows, Node x) {
    if (ids.length == 0) {
      throw new IllegalArgumentException(op + ": no ids to select from " + Shapes.describe(x));
    }
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] < 0 || ids[i] >= rows) {
        throw new IllegalArgumentException(op + ": id " + ids[i] + " at " + i + " is not a row"
            + " of the " + rows + " (0 to " + (rows - 1) + ") of " + Shapes.describe(x));
      }
    }
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    y.zero();
    addTo(x[0], y);
  }

  /** y's rows ids[i] += x's row i. x Not modified; y Modified. */
  void addTo(DMatrixRMaj x, DMatrixRMaj y) {
    int cols = y.numCols;
    for (int i = 0; i < ids.length; i++) {
      for (int j = 0, t = ids[i] * cols, s = i * cols; j < cols; j++) {
        y.data[t + j] += x.data[s + j];
      }
    }
  }

  /** y's rows ids[i] = 0: what {@link #addTo} wrote, undone in a cost of ids × width. */
  void clear(DMatrixRMaj y) {
    for (int id : ids) {
      java.util.Arrays.fill(y.data, id * y.numCols, (id + 1) * y.numCols, 0);
    }
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    return g.gatherRows(ids);
  }

  @Override
  public String gradientFormula(int i) {
    return "gather({g})";
  }
}
