package dev.autodiff.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import scala.Tuple2;

/**
 * A partition's examples as two matrices, one example per row: the data set's examples first …
 * first + rows − 1, in order (zipWithIndex numbers a partition's examples consecutively).
 */
record Block(int partition, long first, DMatrixRMaj X, DMatrixRMaj Y) implements Serializable {
  private static final long serialVersionUID = 1L;

  int rows() {
    return X.numRows;
  }

  /**
   * The partition's indexed examples as a block, checked: each x of the declared input width, each
   * y of the declared target width, every entry finite, the indices consecutive. A bad example is
   * named by its index in the data set, its partition and its row there, and its column.
   */
  static Block of(int partition, Iterator<Tuple2<Example, Long>> examples, int inputs,
      int targets) {
    List<Example> rows = new ArrayList<>();
    long first = -1;
    while (examples.hasNext()) {
      Tuple2<Example, Long> e = examples.next();
      int row = rows.size();
      long index = e._2();
      if (first < 0) {
        first = index;
      } else if (index != first + row) {
        throw new IllegalStateException("partition " + partition + " holds examples " + first
            + " … " + (first + row - 1) + " and then " + index + ": the indices must be "
            + "consecutive, as zipWithIndex gives them");
      }
      check(e._1().x(), "x", inputs, "input", partition, row, index);
      check(e._1().y(), "y", targets, "target", partition, row, index);
      rows.add(e._1());
    }
    DMatrixRMaj X = new DMatrixRMaj(rows.size(), inputs);
    DMatrixRMaj Y = new DMatrixRMaj(rows.size(), targets);
    for (int i = 0; i < rows.size(); i++) {
      System.arraycopy(rows.get(i).x(), 0, X.data, i * inputs, inputs);
      System.arraycopy(rows.get(i).y(), 0, Y.data, i * targets, targets);
    }
    return new Block(partition, first, X, Y);
  }

  private static void check(double[] v, String name, int width, String what, int partition,
      int row, long index) {
    if (v.length != width) {
      throw new IllegalArgumentException(where(index, partition, row) + " has " + v.length
          + " entries in " + name + ", but the declared " + what + " width is " + width);
    }
    for (int j = 0; j < v.length; j++) {
      if (!Double.isFinite(v[j])) {
        throw new IllegalArgumentException(where(index, partition, row) + " has " + v[j]
            + " in " + name + " at column " + j + ": training data must be finite; nothing was "
            + "trained");
      }
    }
  }

  private static String where(long index, int partition, int row) {
    return "example " + index + " (row " + row + " of partition " + partition + ")";
  }

  /** The rows of this block that hold examples of the batch, in the batch's order. */
  int[] pick(int[] batch) {
    int n = 0;
    int[] mine = new int[batch.length];
    for (int index : batch) {
      long row = index - first;
      if (row >= 0 && row < rows()) {
        mine[n++] = (int) row;
      }
    }
    return java.util.Arrays.copyOf(mine, n);
  }
}
