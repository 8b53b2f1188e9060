package dev.autodiff.core;

import org.ejml.data.DMatrixRMaj;

/**
 * The values an input of an op accepts. An op declares one per input ({@link Primitive#domain});
 * the engine checks every entry before the op runs, when recording and in a {@link Plan}, and
 * throws an {@link ArithmeticException} naming the op, the node and the entry, rather than letting
 * a NaN or ∞ appear silently.
 */
public enum Domain {
  /** Every value, NaN and ±∞ included. */
  ANY {
    @Override
    boolean contains(double v) {
      return true;
    }
  },
  /** v &gt; 0 (log); a NaN is outside. */
  POSITIVE {
    @Override
    boolean contains(double v) {
      return v > 0;
    }
  },
  /** v ≥ 0 (sqrt); a NaN is outside. */
  NON_NEGATIVE {
    @Override
    boolean contains(double v) {
      return v >= 0;
    }
  },
  /** v ≠ 0 (a reciprocal, a negative power); −0 is 0, a NaN is inside. */
  NONZERO {
    @Override
    boolean contains(double v) {
      return v != 0;
    }
  },
  /** A divisor: v ≠ 0, as {@link #NONZERO}, with an error that says "divisor". */
  DIVISOR {
    @Override
    boolean contains(double v) {
      return v != 0;
    }
  },
  /** v is 0 or 1 (a mask). */
  ZERO_OR_ONE {
    @Override
    boolean contains(double v) {
      return v == 0 || v == 1;
    }
  },
  /** v is a whole number (row ids held as doubles); ±∞ and NaN are outside. */
  INTEGER {
    @Override
    boolean contains(double v) {
      return v == Math.rint(v) && !Double.isInfinite(v);
    }
  };

  abstract boolean contains(double v);

  /**
   * What the op table prints for it: "> 0", "≥ 0", "≠ 0", "0 or 1", "integer", or "" for {@link
   * #ANY}.
   */
  public String describe() {
    return switch (this) {
      case ANY -> "";
      case POSITIVE -> "> 0";
      case NON_NEGATIVE -> "≥ 0";
      case NONZERO, DIVISOR -> "≠ 0";
      case ZERO_OR_ONE -> "0 or 1";
      case INTEGER -> "integer";
    };
  }

  /**
   * Throws unless every entry of x's value v is in this domain, e.g. "log: z has 0.0 at (0, 1);
   * …".
   */
  void check(String op, Node x, DMatrixRMaj v) {
    if (this == ANY) {
      return;
    }
    double[] d = v.data;
    for (int k = 0, n = v.getNumElements(); k < n; k++) {
      if (!contains(d[k])) {
        throw error(op, x, d[k], k / v.numCols, k % v.numCols);
      }
    }
  }

  private ArithmeticException error(String op, Node x, double v, int row, int col) {
    String at = " at (" + row + ", " + col + ")";
    if (this == DIVISOR) {
      return new ArithmeticException(op + ": divisor " + x.name() + " is 0" + at);
    }
    if (this == INTEGER) {
      return new ArithmeticException(op + ": " + x.name() + " has " + v + at + ", which is not a "
          + "row id: " + op + " needs every entry a whole number");
    }
    String needs = describe();
    return new ArithmeticException(op + ": " + x.name() + " has " + v + at + "; " + op
        + " needs every entry " + needs);
  }
}
