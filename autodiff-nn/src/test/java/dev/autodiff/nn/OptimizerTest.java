package dev.autodiff.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autodiff.core.Tape;
import java.util.function.Supplier;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class OptimizerTest {
  final Parameter theta = new Parameter("θ", new DMatrixRMaj(1, 2, true, 1, -2), Parameter.Kind.WEIGHT);
  final Parameter unused = new Parameter("u", new DMatrixRMaj(1, 1, true, 7), Parameter.Kind.BIAS);

  /** One step on J = ½‖θ‖², whose gradient is θ; u is bound but not on a path to J. */
  void step(Optimizer o) {
    Tape tape = new Tape();
    Bindings vars = Bindings.variables(tape);
    vars.apply(unused);
    o.step(vars, tape.backward(vars.apply(theta).square().sum().scale(0.5)));
  }

  @Test
  void sgdStepsAgainstTheGradient() {
    Optimizer o = Optimizer.sgd(0.1);
    step(o);
    assertArrayEquals(new double[] {0.9, -1.8}, theta.value().data, 1e-15); // θ − 0.1θ
    step(o);
    assertArrayEquals(new double[] {0.81, -1.62}, theta.value().data, 1e-15);
    assertEquals(7, unused.value().get(0, 0)); // no gradient, no update
  }

  @Test
  void momentumAccumulatesVelocity() {
    Optimizer o = Optimizer.momentum(0.1, 0.9);
    step(o); // v = θ₀ = 1, θ = 0.9
    step(o); // v = 0.9·1 + 0.9 = 1.8, θ = 0.9 − 0.18
    assertEquals(0.72, theta.value().get(0, 0), 1e-15);
    assertEquals(-1.44, theta.value().get(0, 1), 1e-15);
  }

  @Test
  void adamMatchesItsUpdateRule() {
    Optimizer o = Optimizer.adam(0.1);
    double[] th = {1, -2};
    double[] m = new double[2];
    double[] v = new double[2];
    for (int t = 1; t <= 3; t++) {
      step(o);
      for (int k = 0; k < 2; k++) {
        double g = th[k];
        m[k] = 0.9 * m[k] + 0.1 * g;
        v[k] = 0.999 * v[k] + 0.001 * g * g;
        double mHat = m[k] / (1 - Math.pow(0.9, t));
        double vHat = v[k] / (1 - Math.pow(0.999, t));
        th[k] -= 0.1 * mHat / (Math.sqrt(vHat) + 1e-8);
      }
      assertArrayEquals(th, theta.value().data, 1e-15);
    }
  }

  @Test
  void badSettingsAreRejectedWithTheValue() {
    check(() -> Optimizer.sgd(0), "got 0.0");
    check(() -> Optimizer.sgd(-0.5), "got -0.5");
    check(() -> Optimizer.sgd(Double.NaN), "got NaN");
    check(() -> Optimizer.momentum(-1, 0.9), "learning rate");
    check(() -> Optimizer.momentum(0.1, 1), "μ must be in [0, 1), got 1.0");
    check(() -> Optimizer.adam(0), "learning rate must be finite and > 0, got 0.0");
    check(() -> Optimizer.adam(0.1, 1, 0.999, 1e-8), "β₁");
    check(() -> Optimizer.adam(0.1, 0.9, 0.999, 0), "ε must be > 0");
  }

  static void check(Supplier<?> s, String expected) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, s::get);
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
