package dev.autodiff.examples;

import dev.autodiff.core.trace.Values;
import org.ejml.data.DMatrixRMaj;

/** One printed assignment, {@code name = [3.4; 3.5; 2.1]   (3×1)}, in the traces' number format. */
final class Format {
  private Format() {}

  static String assign(String name, DMatrixRMaj m) {
    return String.format("%-6s = %s   (%d×%d)", name, Values.matrix(m, 64), m.numRows, m.numCols);
  }
}
