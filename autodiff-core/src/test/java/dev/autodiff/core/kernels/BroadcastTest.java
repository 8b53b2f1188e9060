package dev.autodiff.core.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.autodiff.core.Matrices;
import java.util.Random;
import java.util.function.DoubleBinaryOperator;
import java.util.stream.Stream;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each way the {@link Broadcast} kernels run (equal shapes, a tiled row, strided loops for columns
 * and scalars and for rows too large to tile, out as an input) against entry-by-entry arithmetic.
 */
class BroadcastTest {
  /** Shapes of a and b; the output is their broadcast. */
  static Stream<Arguments> shapes() {
    return Stream.of(
        Arguments.of(1, 1, 1, 1), Arguments.of(4, 3, 4, 3), // equal
        Arguments.of(5, 3, 1, 3), Arguments.of(1, 3, 5, 3), // a row, either side
        Arguments.of(5, 3, 5, 1), Arguments.of(5, 1, 5, 3), // a column, either side
        Arguments.of(5, 3, 1, 1), Arguments.of(1, 1, 5, 3), // a scalar, either side
        Arguments.of(5, 1, 1, 3), // a column with a row
        Arguments.of(300, 300, 1, 300), Arguments.of(1, 300, 300, 300)); // rows too large to tile
  }

  /** One of the kernels, and the arithmetic it must match entry by entry. */
  enum Kind {
    ADD(Broadcast::add, (x, y) -> x + y),
    SUB(Broadcast::sub, (x, y) -> x - y),
    MUL(Broadcast::mul, (x, y) -> x * y),
    DIV(Broadcast::div, (x, y) -> x / y),
    DIV_NO_NAN(Broadcast::divNoNan, (x, y) -> y == 0 ? 0 : x / y);

    final Kernel kernel;
    final DoubleBinaryOperator entry;

    Kind(Kernel kernel, DoubleBinaryOperator entry) {
      this.kernel = kernel;
      this.entry = entry;
    }
  }

  interface Kernel {
    void apply(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj out);
  }

  @ParameterizedTest(name = "{0}×{1} with {2}×{3}")
  @MethodSource("shapes")
  void everyKindMatchesEntryByEntryArithmetic(int ar, int ac, int br, int bc) {
    Random rng = new Random(7L * ar + 3L * bc);
    DMatrixRMaj a = Matrices.uniform(rng, ar, ac, 0.5, 2);
    DMatrixRMaj b = Matrices.uniform(rng, br, bc, 0.5, 2);
    b.data[0] = 0; // divNoNan's 0
    int rows = Math.max(ar, br);
    int cols = Math.max(ac, bc);
    for (Kind kind : Kind.values()) {
      DMatrixRMaj out = new DMatrixRMaj(rows, cols);
      kind.kernel.apply(a, b, out);
      check(kind, a, b, out);
      if (ar == rows && ac == cols) { // out may be a
        DMatrixRMaj inPlace = a.copy();
        kind.kernel.apply(inPlace, b, inPlace);
        check(kind, a, b, inPlace);
      }
      if (br == rows && bc == cols) { // or b
        DMatrixRMaj inPlace = b.copy();
        kind.kernel.apply(a, inPlace, inPlace);
        check(kind, a, b, inPlace);
      }
    }
  }

  @ParameterizedTest(name = "{0}×{1} with {2}×{3}")
  @MethodSource("shapes")
  void sumToAndBroadcastToUndoEachOther(int ar, int ac, int br, int bc) {
    Random rng = new Random(11L * ar + bc);
    int rows = Math.max(ar, br);
    int cols = Math.max(ac, bc);
    DMatrixRMaj full = Matrices.uniform(rng, rows, cols, -1, 1);
    DMatrixRMaj small = new DMatrixRMaj(br, bc);
    Broadcast.sumTo(full, small);
    DMatrixRMaj sums = new DMatrixRMaj(br, bc);
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        sums.add(br == 1 ? 0 : r, bc == 1 ? 0 : c, full.get(r, c));
      }
    }
    for (int k = 0; k < sums.getNumElements(); k++) {
      assertEquals(sums.data[k], small.data[k], 1e-12, "sum entry " + k);
    }
    DMatrixRMaj spread = new DMatrixRMaj(rows, cols);
    Broadcast.broadcastTo(small, spread);
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        assertEquals(small.get(br == 1 ? 0 : r, bc == 1 ? 0 : c), spread.get(r, c), 0);
      }
    }
  }

  private static void check(Kind kind, DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj out) {
    for (int i = 0; i < out.numRows; i++) {
      for (int j = 0; j < out.numCols; j++) {
        double x = a.get(a.numRows == 1 ? 0 : i, a.numCols == 1 ? 0 : j);
        double y = b.get(b.numRows == 1 ? 0 : i, b.numCols == 1 ? 0 : j);
        assertEquals(kind.entry.applyAsDouble(x, y), out.get(i, j), 0,
            kind + " at (" + i + ", " + j + ")");
      }
    }
  }
}
