package dev.autodiff.core;

import java.math.BigDecimal;
import java.math.MathContext;
import org.ejml.data.DMatrixRMaj;

/**
 * Numbers and matrices as short text, the same in {@link Node#toString} and in traces: a number to
 * 6 significant digits, a matrix row by row as PyTorch prints a tensor, large ones abbreviated.
 */
public final class MatrixText {
  /** A dimension longer than this shows its first and last {@link #EDGE} entries only. */
  private static final int FULL = 6;
  private static final int EDGE = 3;

  private MatrixText() {}

  /** 6 significant digits, trailing zeros dropped (0.08725, -2000); tiny or huge as 1.5e-12. */
  public static String number(double v) {
    if (!Double.isFinite(v) || v == 0) {
      return v == 0 ? "0" : Double.toString(v);
    }
    double a = Math.abs(v);
    if (a < 1e-4 || a >= 1e7) {
      return String.format("%.5e", v).replaceFirst("\\.?0*e", "e").replace("e-0", "e-")
          .replace("e+0", "e").replace("e+", "e");
    }
    return new BigDecimal(v).round(new MathContext(6)).stripTrailingZeros().toPlainString();
  }

  /**
   * {@code [[0.3, 0.5, 0.1], [0.2, 0.7, 0.8]]}: each row in brackets. Past 6 rows or columns, the
   * first 3 and the last 3 with … between, so that any matrix prints on one short line.
   */
  public static String of(DMatrixRMaj m) {
    StringBuilder s = new StringBuilder("[");
    for (int i = 0; i < m.numRows; i++) {
      if (skipped(i, m.numRows)) {
        s.append(", …");
        i = m.numRows - EDGE - 1;
        continue;
      }
      s.append(i > 0 ? ", [" : "[");
      for (int j = 0; j < m.numCols; j++) {
        if (skipped(j, m.numCols)) {
          s.append(", …");
          j = m.numCols - EDGE - 1;
          continue;
        }
        s.append(j > 0 ? ", " : "").append(number(m.get(i, j)));
      }
      s.append(']');
    }
    return s.append(']').toString();
  }

  /** True at the first index left out of a dimension of size n. */
  private static boolean skipped(int i, int n) {
    return n > FULL && i == EDGE;
  }
}
