package dev.autodiff.core.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import java.util.stream.Stream;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each way {@link Broadcast#apply} runs (equal shapes, a tiled row, strided loops for columns and
 * scalars and for rows too large to tile, out as its own input) against entry-by-entry arithmetic.
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

  @ParameterizedTest(name = "{0}×{1} with {2}×{3}")
  @MethodSource("shapes")
  void everyKindMatchesEntryByEntryArithmetic(int ar, int ac, int br, int bc) {
    Random rng = new Random(7L * ar + 3L * bc);
    DMatrixRMaj a = Matrices.uniform(rng, ar, ac, 0.5, 2);
    DMatrixRMaj b = Matrices.uniform(rng, br, bc, 0.5, 2);
    int rows = Math.max(ar, br);
    int cols = Math.max(ac, bc);
    for (int kind : new int[] {Broadcast.ADD, Broadcast.SUB, Broadcast.MUL, Broadcast.DIV}) {
      DMatrixRMaj out = new DMatrixRMaj(rows, cols);
      Broadcast.apply(kind, a, b, out);
      check(kind, a, b, out);
      if (ar == rows && ac == cols) { // out may be a
        DMatrixRMaj inPlace = a.copy();
        Broadcast.apply(kind, inPlace, b, inPlace);
        check(kind, a, b, inPlace);
      }
    }
  }

  private static void check(int kind, DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj out) {
    for (int i = 0; i < out.numRows; i++) {
      for (int j = 0; j < out.numCols; j++) {
        double x = a.get(a.numRows == 1 ? 0 : i, a.numCols == 1 ? 0 : j);
        double y = b.get(b.numRows == 1 ? 0 : i, b.numCols == 1 ? 0 : j);
        double expected = switch (kind) {
          case Broadcast.ADD -> x + y;
          case Broadcast.SUB -> x - y;
          case Broadcast.MUL -> x * y;
          default -> x / y;
        };
        assertEquals(expected, out.get(i, j), 0, "kind " + kind + " at (" + i + ", " + j + ")");
      }
    }
  }
}
