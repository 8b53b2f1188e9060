package dev.autodiff.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autodiff.core.Image;
import dev.autodiff.core.Tape;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class Conv2dTest {
  /** Images C×H×W, F filters of k×k, stride, padding: square and not, with and without padding. */
  @ParameterizedTest
  @CsvSource({"1,1,1,1,1,1,0", "2,4,5,3,3,1,1", "1,5,4,2,2,2,0", "3,3,6,1,3,2,1"})
  void gradientsMatchCentralDifferences(int c, int h, int w, int f, int k, int s, int p) {
    Conv2d conv = new Conv2d(new Image(c, h, w), f, k, s, p, new Random(3));
    conv.b().value().setTo(Matrices.random(new Random(4), 1, f));
    DMatrixRMaj X = Matrices.random(new Random(5), 2, c * h * w);
    ModuleCheck.of(conv).check(X).assertPassed();
    ModuleCheck.of(conv).checkSecondOrder(X).assertPassed();
  }

  /** y[n, f, i, j] = b[f] + Σ_c Σ_u Σ_v W[f, c, u, v] x[n, c, i·s + u − p, j·s + v − p]. */
  @Test
  void valuesAreTheDefinition() {
    Image in = new Image(2, 4, 5);
    Conv2d conv = new Conv2d(in, 3, 3, 2, 1, new Random(1));
    conv.b().value().setTo(new DMatrixRMaj(1, 3, true, 0.5, -1, 2));
    DMatrixRMaj X = Matrices.random(new Random(2), 2, in.size());
    DMatrixRMaj y = conv.predict(X);
    Image out = conv.out();
    assertEquals(new Image(3, 2, 3), out);
    DMatrixRMaj W = conv.W().value();
    for (int n = 0; n < 2; n++) {
      for (int f = 0; f < 3; f++) {
        for (int i = 0; i < out.height(); i++) {
          for (int j = 0; j < out.width(); j++) {
            double sum = conv.b().value().get(0, f);
            for (int c = 0; c < 2; c++) {
              for (int u = 0; u < 3; u++) {
                for (int v = 0; v < 3; v++) {
                  int r = i * 2 + u - 1;
                  int q = j * 2 + v - 1;
                  if (r >= 0 && r < 4 && q >= 0 && q < 5) {
                    sum += W.get(f, (c * 3 + u) * 3 + v) * X.get(n, (c * 4 + r) * 5 + q);
                  }
                }
              }
            }
            assertEquals(sum, y.get(n, (f * 2 + i) * 3 + j), 1e-13);
          }
        }
      }
    }
  }

  /** He initialisation: mean 0 and variance 2/(C·k·k), bias 0; the same seed, the same values. */
  @Test
  void initialisationIsHeAndSeeded() {
    Conv2d conv = new Conv2d(new Image(8, 10, 10), 64, 5, 1, 2, new Random(7));
    DMatrixRMaj W = conv.W().value();
    double mean = 0;
    double squares = 0;
    for (double v : W.data) {
      mean += v / W.getNumElements();
      squares += v * v / W.getNumElements();
    }
    int n = W.getNumElements(); // 12,800 draws: the sample variance is within 4 standard errors
    double variance = 2.0 / (8 * 25);
    assertEquals(0, mean, 4 * Math.sqrt(variance / n));
    assertEquals(variance, squares, 4 * variance * Math.sqrt(2.0 / n));
    assertArrayEquals(new double[64], conv.b().value().data, 0);
    assertArrayEquals(W.data, new Conv2d(new Image(8, 10, 10), 64, 5, 1, 2, new Random(7)).W()
        .value().data, 0);
  }

  @Test
  void badShapesAreRejectedNamingTheLayer() {
    Conv2d conv = new Conv2d(new Image(2, 4, 4), 3, 3, 1, 0, new Random(1));
    try (Tape tape = new Tape()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> conv.forward(tape.constant("X", new DMatrixRMaj(2, 30)), Bindings.constants(tape)));
      assertEquals("Conv2d(2×4×4 → 3×2×2, 3×3, stride 1, padding 0): X is 2×30, but images of "
          + "2×4×4 need 32 columns", e.getMessage());
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Conv2d(new Image(1, 2, 2), 1, 5, 1, 1, new Random(1)));
    assertTrue(e.getMessage().contains("a 5×5 kernel does not fit 1×2×2 images padded by 1"),
        e.getMessage());
  }
}
