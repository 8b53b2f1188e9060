package dev.autodiff.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.autodiff.core.Image;
import dev.autodiff.core.Tape;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** MaxPool2d, AvgPool2d and Flatten: the layers without parameters between images. */
class PoolingLayersTest {
  static final DMatrixRMaj IMAGE = new DMatrixRMaj(1, 16, true,
      1, 2, 3, 4,
      5, 6, 7, 8,
      9, 10, 11, 12,
      13, 14, 15, 16);

  @Test
  void maxAndMeanOfEachWindow() {
    Image in = new Image(1, 4, 4);
    assertArrayEquals(new double[] {6, 8, 14, 16}, new MaxPool2d(in, 2, 2).predict(IMAGE).data, 0);
    assertArrayEquals(new double[] {3.5, 5.5, 11.5, 13.5},
        new AvgPool2d(in, 2, 2).predict(IMAGE).data, 0);
    assertArrayEquals(new double[] {11, 12, 15, 16},
        new MaxPool2d(in, 3, 1).predict(IMAGE).data, 0);
    assertEquals(new Image(1, 2, 2), new MaxPool2d(in, 3, 1).out());
    assertArrayEquals(IMAGE.data, new Flatten(in).predict(IMAGE).data, 0);
    assertEquals(16, new Flatten(in).out());
  }

  @ParameterizedTest
  @CsvSource({"1,2,2,2,2", "2,4,5,2,2", "3,5,4,3,1", "1,1,6,1,1"})
  void gradientsMatchCentralDifferences(int c, int h, int w, int k, int s) {
    Image in = new Image(c, h, w);
    // distinct entries: the max of a window is never a tie, where the gradient is a choice
    DMatrixRMaj X = new DMatrixRMaj(2, in.size());
    for (int i = 0; i < X.getNumElements(); i++) {
      X.data[i] = Math.sin(1.7 * i + 0.3) + 0.01 * i;
    }
    for (Module m : new Module[] {new MaxPool2d(in, k, s), new AvgPool2d(in, k, s),
        new Flatten(in)}) {
      ModuleCheck.of(m).check(X).assertPassed();
      ModuleCheck.of(m).checkSecondOrder(X).assertPassed();
    }
  }

  @Test
  void badShapesAreRejectedNamingTheLayer() {
    Image in = new Image(2, 4, 4);
    try (Tape tape = new Tape()) {
      for (Module m : new Module[] {new MaxPool2d(in, 2, 2), new AvgPool2d(in, 2, 2),
          new Flatten(in)}) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> m.forward(tape.constant("X", new DMatrixRMaj(3, 16)), Bindings.constants(tape)));
        assertEquals(m + ": X is 3×16, but images of 2×4×4 need 32 columns", e.getMessage());
      }
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new MaxPool2d(in, 5, 1));
    assertEquals("maxPool2d: a 5×5 window with stride 1 does not fit 2×4×4 images",
        e.getMessage());
  }
}
