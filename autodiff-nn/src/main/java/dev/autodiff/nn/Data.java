package dev.autodiff.nn;

import java.util.Objects;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;

/**
 * A data set of examples, one per row: inputs X (N×inputs) and targets Y (N×targets), checked when
 * made — the same number of rows, at least one, and every entry finite, a NaN or ±∞ named by its
 * matrix, row and column — so bad data is rejected before any parameter changes.
 *
 * <pre>{@code
 * Data.Split split = Data.of(X, OneHot.encode(labels, 10)).split(0.1, 42);
 * trainer.fit(model, split.train());
 * }</pre>
 *
 * <p>The matrices are kept, not copied: change them and the data set changes ({@link Trainer}
 * checks them again before it trains).
 */
public final class Data {
  private final DMatrixRMaj X;
  private final DMatrixRMaj Y;

  private Data(DMatrixRMaj X, DMatrixRMaj Y) {
    this.X = X;
    this.Y = Y;
  }

  /** The data set of X's and Y's rows, checked (see the class comment). Not modified. */
  public static Data of(DMatrixRMaj X, DMatrixRMaj Y) {
    Objects.requireNonNull(X, "X");
    Objects.requireNonNull(Y, "Y");
    if (X.numRows == 0) {
      throw new IllegalArgumentException("the data set is empty (X is 0×" + X.numCols + ")");
    }
    if (X.numRows != Y.numRows) {
      throw new IllegalArgumentException("X has " + X.numRows + " examples but Y has " + Y.numRows
          + " target rows: the counts must match");
    }
    requireFinite("X", X, "training data must be finite; nothing was changed");
    requireFinite("Y", Y, "training data must be finite; nothing was changed");
    return new Data(X, Y);
  }

  /** Throws for the first NaN or ±∞ of m, naming the matrix, the row, the column and why. */
  static void requireFinite(String name, DMatrixRMaj m, String why) {
    for (int k = 0; k < m.getNumElements(); k++) {
      if (!Double.isFinite(m.data[k])) {
        throw new IllegalArgumentException(name + " has " + m.data[k] + " at row " + k / m.numCols
            + ", column " + k % m.numCols + ": " + why);
      }
    }
  }

  /** The inputs, one example per row. */
  public DMatrixRMaj X() {
    return X;
  }

  /** The targets, one row per example. */
  public DMatrixRMaj Y() {
    return Y;
  }

  /** The number of examples. */
  public int size() {
    return X.numRows;
  }

  /** The examples at the given rows, in that order, copied. */
  public Data rows(int... rows) {
    DMatrixRMaj x = new DMatrixRMaj(rows.length, X.numCols);
    DMatrixRMaj y = new DMatrixRMaj(rows.length, Y.numCols);
    copyRows(X, rows, 0, rows.length, x);
    copyRows(Y, rows, 0, rows.length, y);
    return new Data(x, y);
  }

  /** A training set and a validation set: disjoint, together every example once. */
  public record Split(Data train, Data validation) {}

  /**
   * The examples shuffled by seed, the first round(N·fraction) of them the validation set and the
   * rest the training set; 0 &lt; fraction &lt; 1 and both sets non-empty.
   */
  public Split split(double validationFraction, long seed) {
    if (!(validationFraction > 0 && validationFraction < 1)) {
      throw new IllegalArgumentException("the validation fraction must be in (0, 1), got "
          + validationFraction);
    }
    int n = size();
    int v = (int) Math.round(n * validationFraction);
    if (v == 0 || v == n) {
      throw new IllegalArgumentException("a validation fraction of " + validationFraction + " of "
          + n + " examples leaves " + (v == 0 ? "no validation" : "no training") + " example");
    }
    int[] order = order(n, new Random(seed));
    return new Split(rows(java.util.Arrays.copyOfRange(order, v, n)),
        rows(java.util.Arrays.copyOf(order, v)));
  }

  /** 0, 1, …, n − 1 in the order of a Fisher–Yates shuffle drawn from random. */
  static int[] order(int n, Random random) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  /** The rows order[from..to) of m, in that order, into r. m Not modified; r Modified. */
  static void copyRows(DMatrixRMaj m, int[] order, int from, int to, DMatrixRMaj r) {
    for (int i = from; i < to; i++) {
      System.arraycopy(m.data, order[i] * m.numCols, r.data, (i - from) * m.numCols, m.numCols);
    }
  }

  @Override
  public String toString() {
    return "Data(" + size() + " examples, X " + X.numRows + "×" + X.numCols + ", Y " + Y.numRows
        + "×" + Y.numCols + ")";
  }
}
