package dev.autodiff.examples;

import org.ejml.data.DMatrixRMaj;

/** Short, exact-enough text for matrices: [3.4; 3.5; 2.1] for a column, rows split by ';'. */
final class Format {
  private Format() {}

  static String matrix(DMatrixRMaj m) {
    if (m.getNumElements() == 1) {
      return number(m.data[0]);
    }
    StringBuilder s = new StringBuilder("[");
    for (int i = 0; i < m.numRows; i++) {
      if (i > 0) {
        s.append("; ");
      }
      for (int j = 0; j < m.numCols; j++) {
        if (j > 0) {
          s.append(' ');
        }
        s.append(number(m.get(i, j)));
      }
    }
    return s.append(']').toString();
  }

  /** 12 significant digits, trailing zeros dropped: 0.08725, not 0.08724999999999994. */
  static String number(double v) {
    return new java.math.BigDecimal(v).round(new java.math.MathContext(12)).stripTrailingZeros()
        .toPlainString();
  }

  static String assign(String name, DMatrixRMaj m) {
    return String.format("%-6s = %s   (%d×%d)", name, matrix(m), m.numRows, m.numCols);
  }
}
