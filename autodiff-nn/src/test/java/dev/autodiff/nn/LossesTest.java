package dev.autodiff.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import dev.autodiff.core.Gradients;
import dev.autodiff.core.Node;
import dev.autodiff.core.Tape;
import dev.autodiff.core.check.GradientCheck;
import java.util.List;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class LossesTest {
  final Random r = new Random(11);
  final DMatrixRMaj Z = Matrices.uniform(r, 4, 3, -3, 3);
  final DMatrixRMaj V = Matrices.random(r, 4, 3);
  final DMatrixRMaj T = Matrices.random(r, 4, 3);
  final DMatrixRMaj B = Matrices.uniform(r, 4, 3, 0, 1);
  final DMatrixRMaj onehot = OneHot.encode(new int[] {2, 0, 1, 2}, 3);

  /** L and ∂L/∂output for the loss at (output, Y). */
  record Value(double L, DMatrixRMaj grad) {}

  static Value eval(Loss loss, DMatrixRMaj out, DMatrixRMaj Y) {
    Tape tape = new Tape();
    Node o = tape.variable("Z", out);
    Node L = loss.apply(o, tape.constant("Y", Y));
    Gradients g = tape.backward(L);
    return new Value(L.scalar(), g.get(o));
  }

  static double sigmoid(double z) {
    return 1 / (1 + Math.exp(-z));
  }

  @Test
  void halfSquaredErrorMatchesSeed000() {
    Value v = eval(Losses.HALF_SQUARED_ERROR, new DMatrixRMaj(2, 1, true, 3.28, 5.31),
        new DMatrixRMaj(2, 1, true, 3, 5));
    assertEquals(0.08725, v.L(), 1e-14);
    assertArrayEquals(new double[] {0.28, 0.31}, v.grad().data, 1e-14); // V − Y
  }

  @Test
  void meanSquaredErrorIsHalfTheSquaredErrorOverN() {
    Value v = eval(Losses.MEAN_SQUARED_ERROR, V, T);
    double sum = 0;
    double[] grad = new double[12];
    for (int k = 0; k < 12; k++) {
      sum += 0.5 * Math.pow(T.data[k] - V.data[k], 2);
      grad[k] = (V.data[k] - T.data[k]) / 4;
    }
    assertEquals(sum / 4, v.L(), 1e-14);
    assertArrayEquals(grad, v.grad().data, 1e-15);
  }

  /** PyTorch's MSELoss averages (y − v)² over all N·k entries, with no ½: ours is k/2 of it. */
  @Test
  void meanSquaredErrorIsKOverTwoTimesPyTorchsMseLoss() {
    double mseLoss = 0;
    for (int k = 0; k < 12; k++) {
      mseLoss += Math.pow(T.data[k] - V.data[k], 2) / 12;
    }
    assertEquals(3 / 2.0 * mseLoss, eval(Losses.MEAN_SQUARED_ERROR, V, T).L(), 1e-14);
  }

  @Test
  void binaryCrossEntropyMatchesItsDefinitionAndGradient() {
    Value v = eval(Losses.BINARY_CROSS_ENTROPY_WITH_LOGITS, Z, B);
    double sum = 0;
    double[] grad = new double[12];
    for (int k = 0; k < 12; k++) {
      double a = sigmoid(Z.data[k]);
      sum += -B.data[k] * Math.log(a) - (1 - B.data[k]) * Math.log(1 - a);
      grad[k] = (a - B.data[k]) / 4; // sigmoid-BCE: ŷ − y (seed 004), over N
    }
    assertEquals(sum / 4, v.L(), 1e-13);
    assertArrayEquals(grad, v.grad().data, 1e-15);
  }

  @Test
  void softmaxCrossEntropyGradientIsSoftmaxMinusOneHotOverN() {
    Value v = eval(Losses.SOFTMAX_CROSS_ENTROPY_WITH_LOGITS, Z, onehot);
    double sum = 0;
    double[] grad = new double[12];
    for (int i = 0; i < 4; i++) {
      double norm = 0;
      for (int j = 0; j < 3; j++) {
        norm += Math.exp(Z.get(i, j));
      }
      for (int j = 0; j < 3; j++) {
        double p = Math.exp(Z.get(i, j)) / norm;
        if (onehot.get(i, j) == 1) {
          sum -= Math.log(p);
        }
        grad[i * 3 + j] = (p - onehot.get(i, j)) / 4;
      }
    }
    assertEquals(sum / 4, v.L(), 1e-13);
    assertArrayEquals(grad, v.grad().data, 1e-15);
  }

  @Test
  void everyLossPassesTheGradientChecker() {
    for (Loss loss : List.of(Losses.HALF_SQUARED_ERROR, Losses.MEAN_SQUARED_ERROR,
        Losses.BINARY_CROSS_ENTROPY_WITH_LOGITS, Losses.SOFTMAX_CROSS_ENTROPY_WITH_LOGITS)) {
      DMatrixRMaj Y = loss == Losses.SOFTMAX_CROSS_ENTROPY_WITH_LOGITS ? onehot
          : loss == Losses.BINARY_CROSS_ENTROPY_WITH_LOGITS ? B : T;
      GradientCheck.defaults().checkNamed(
          v -> loss.apply(v.get("Z"), v.get("Z").tape().constant("Y", Y)),
          Map.of("Z", Z)).assertPassed();
      // the targets' gradient too, where the op provides one
      GradientCheck.defaults().checkNamed(v -> loss.apply(v.get("Z"), v.get("Y")),
          Map.of("Z", Z, "Y", Y)).assertPassed();
    }
  }

  @Test
  void crossEntropiesAreFiniteForLogitsOfPlusMinus1000() {
    DMatrixRMaj z = new DMatrixRMaj(new double[][] {{1000, -1000, 0}, {-1000, 1000, 0}});
    DMatrixRMaj y = OneHot.encode(new int[] {1, 1}, 3);
    Value sce = eval(Losses.SOFTMAX_CROSS_ENTROPY_WITH_LOGITS, z, y);
    // row 1: −log softmax = 2000 (+ log(1 + e^−1000 + …) = 0); row 2: 0
    assertEquals(1000, sce.L(), 1e-9);
    assertArrayEquals(new double[] {0.5, -0.5, 0, 0, 0, 0}, sce.grad().data, 1e-15);

    DMatrixRMaj zb = new DMatrixRMaj(1, 4, true, 1000, -1000, 1000, -1000);
    DMatrixRMaj yb = new DMatrixRMaj(1, 4, true, 0, 1, 1, 0);
    Value bce = eval(Losses.BINARY_CROSS_ENTROPY_WITH_LOGITS, zb, yb);
    assertEquals(2000, bce.L(), 1e-9);
    assertArrayEquals(new double[] {1, -1, 0, 0}, bce.grad().data, 1e-15);
  }

  @Test
  void shapeMismatchesNameTheLoss() {
    for (Loss loss : List.of(Losses.HALF_SQUARED_ERROR, Losses.MEAN_SQUARED_ERROR,
        Losses.BINARY_CROSS_ENTROPY_WITH_LOGITS, Losses.SOFTMAX_CROSS_ENTROPY_WITH_LOGITS)) {
      Tape tape = new Tape();
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> loss.apply(tape.constant("Z", Z), tape.constant("Y", new DMatrixRMaj(1, 3))));
      assertTrue(e.getMessage().contains("Z (4×3)") && e.getMessage().contains("Y (1×3)"),
          e.getMessage());
    }
  }
}
