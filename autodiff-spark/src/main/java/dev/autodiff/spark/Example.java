package dev.autodiff.spark;

import dev.autodiff.nn.Data;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.ejml.data.DMatrixRMaj;

/**
 * One training example, its inputs x and targets y, as an RDD holds them. The arrays are kept, not
 * copied; {@link SparkGradientSource} checks their widths and values when it indexes the data.
 */
public record Example(double[] x, double[] y) implements Serializable {
  private static final long serialVersionUID = 1L;

  public Example {
    Objects.requireNonNull(x, "x");
    Objects.requireNonNull(y, "y");
  }

  /** The rows of data's X and Y as examples, in order, copied. Not modified. */
  public static List<Example> rows(Data data) {
    return rows(data.X(), data.Y(), 0, data.size());
  }

  /** Rows from … to − 1 of X and Y as examples, in order, copied. Not modified. */
  static List<Example> rows(DMatrixRMaj X, DMatrixRMaj Y, int from, int to) {
    List<Example> rows = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      rows.add(new Example(Arrays.copyOfRange(X.data, i * X.numCols, (i + 1) * X.numCols),
          Arrays.copyOfRange(Y.data, i * Y.numCols, (i + 1) * Y.numCols)));
    }
    return rows;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Example e && Arrays.equals(x, e.x) && Arrays.equals(y, e.y);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(x) + Arrays.hashCode(y);
  }

  @Override
  public String toString() {
    return "Example(x " + Arrays.toString(x) + ", y " + Arrays.toString(y) + ")";
  }
}
