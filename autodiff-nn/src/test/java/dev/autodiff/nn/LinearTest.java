package dev.autodiff.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import dev.autodiff.core.Node;
import dev.autodiff.core.Tape;
import dev.autodiff.core.check.GradientCheck;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class LinearTest {
  // seed 003's demo, W and b as printed (4 decimals)
  static final DMatrixRMaj X = new DMatrixRMaj(new double[][] {
      {-8, 1, -3, 5, 2}, {-2, 2, -1, 5, 2}, {7, 1, 9, -5, -2}});
  static final DMatrixRMaj W = new DMatrixRMaj(1, 5, true, 0.7576, 0.2793, 0.4031, 0.7347, 0.0293);
  static final DMatrixRMaj B = new DMatrixRMaj(1, 1, true, 0.7999);

  @Test
  void batchedFormIsXWTransposePlusBiasRow() {
    Linear layer = new Linear(new Parameter("W", W, Parameter.Kind.WEIGHT), new Parameter("b", B, Parameter.Kind.BIAS));
    Tape tape = new Tape();
    Node z = layer.forward(tape.constant("X", X), Bindings.constants(tape));
    // exact for the rounded W, b: −8·.7576 + .2793 − 3·.4031 + 5·.7347 + 2·.0293 + .7999 = −2.4588, …
    assertArrayEquals(new double[] {-2.4588, 3.1723, 6.2782}, z.value().data, 1e-12);
    // the demo's unrounded values differ by at most Σ|x|·5e-5 + 5e-5 = 1e-3
    assertArrayEquals(new double[] {-2.4591, 3.1721, 6.2782}, z.value().data, 1e-3);
  }

  @Test
  void gradientsPassTheChecker() {
    Random r = new Random(7);
    GradientCheck.defaults().checkNamed(
        v -> Linear.apply(v.get("X"), v.get("W"), v.get("b")).tanh().sum(),
        Map.of("X", Matrices.random(r, 4, 3), "W", Matrices.random(r, 2, 3),
            "b", Matrices.random(r, 1, 2))).assertPassed();
  }

  @Test
  void biasGradientIsTheColumnSumOfDelta() {
    // seed 002: ∂L/∂b = Σₙ δₙ; with L = Σ Z, δ = 1, so every entry is N
    Tape tape = new Tape();
    Node b = tape.variable("b", new DMatrixRMaj(1, 2));
    Node z = Linear.apply(tape.constant(Matrices.random(new Random(1), 5, 3)),
        tape.constant(Matrices.random(new Random(2), 2, 3)), b);
    assertArrayEquals(new double[] {5, 5}, tape.backward(z.sum()).get(b).data, 0);
  }

  @Test
  void aBiasOfTheWrongShapeIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Linear(new Parameter("W", new DMatrixRMaj(3, 2), Parameter.Kind.WEIGHT),
            new Parameter("b", new DMatrixRMaj(1, 2), Parameter.Kind.BIAS)));
    assertTrue(e.getMessage().contains("b must be 1×3"), e.getMessage());
  }
}
