package dev.autodiff.core;

import org.ejml.data.DMatrixRMaj;

/**
 * An op of two inputs whose second holds row ids as whole numbers (a constant of any shape, read
 * row by row) and is read whenever the op is computed: each id must be a row of the matrix the op
 * indexes, checked when recording and at every run of a plan.
 */
abstract class RowIds extends Primitive {
  RowIds(String name) {
    super(name, 2, null);
  }

  /** The number of rows of the matrix the ids index, for inputs x of values v. */
  abstract int rows(Node[] x, DMatrixRMaj[] v);

  /** That matrix, as errors name it: "E (5×3)". */
  abstract String indexed(Node[] x);

  /** The number of ids, after checking that they are a constant: no gradient goes to them. */
  final int ids(Node[] x) {
    if (x[1].requiresGrad()) {
      throw new IllegalArgumentException(name() + ": the ids " + Shapes.describe(x[1])
          + " must be a constant: no gradient goes to them");
    }
    return x[1].rows() * x[1].cols();
  }

  @Override
  public Domain domain(int i) {
    return i == 1 ? Domain.INTEGER : Domain.ANY;
  }

  /** Whole numbers (the domain), then each a row of the matrix indexed, naming its place. */
  @Override
  final void checkDomains(Node[] x, DMatrixRMaj[] v) {
    super.checkDomains(x, v);
    int rows = rows(x, v);
    DMatrixRMaj ids = v[1];
    for (int k = 0, n = ids.getNumElements(); k < n; k++) {
      double id = ids.data[k];
      if (id < 0 || id >= rows) {
        throw new IllegalArgumentException(name() + ": id " + (long) id + " of " + x[1].name()
            + " at (" + k / ids.numCols + ", " + k % ids.numCols + ") is not a row of the "
            + rows + " (0 to " + (rows - 1) + ") of " + indexed(x));
      }
    }
  }
}
