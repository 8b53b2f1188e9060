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

  /** PyTorch's Nesterov: v = μv + g, θ −= α(g + μv); on J = ½‖θ‖², g = θ. */
  @Test
  void nesterovLooksAhead() {
    Optimizer o = Optimizer.nesterov(0.1, 0.9);
    step(o); // v = 1, θ = 1 − 0.1·(1 + 0.9) = 0.81
    assertEquals(0.81, theta.value().get(0, 0), 1e-15);
    step(o); // v = 0.9 + 0.81 = 1.71, θ = 0.81 − 0.1·(0.81 + 1.539) = 0.5751
    assertEquals(0.5751, theta.value().get(0, 0), 1e-15);
    assertEquals(-1.1502, theta.value().get(0, 1), 1e-15);
  }

  /** RMSprop's first step: v = (1 − ρ)g², so Δθ = α g/(√(1 − ρ)|g| + ε). */
  @Test
  void rmspropDividesByTheRootMeanSquare() {
    Optimizer o = Optimizer.rmsprop(0.01, 0.9, 1e-8);
    step(o);
    assertEquals(1 - 0.01 / (Math.sqrt(0.1) + 1e-8), theta.value().get(0, 0), 1e-15);
    assertEquals(-2 + 0.01 * 2 / (Math.sqrt(0.1) * 2 + 1e-8), theta.value().get(0, 1), 1e-15);
  }

  /**
   * AdamW decays a weight by α λ_w θ before Adam's step, whose first move is α·sign(g) (m̂/√v̂ =
   * g/|g|, up to ε); a bias is not decayed.
   */
  @Test
  void adamWDecaysWeightsOnly() {
    Optimizer o = Optimizer.adamW(0.1, 0.5);
    step(o);
    double decayed = 1 - 0.1 * 0.5 * 1;
    assertEquals(decayed - 0.1 * 1 / (1 + 1e-8), theta.value().get(0, 0), 1e-15);
    Parameter bias = new Parameter("b", new DMatrixRMaj(1, 1, true, 3), Parameter.Kind.BIAS);
    Tape tape = new Tape();
    Bindings vars = Bindings.variables(tape);
    Optimizer.adamW(0.1, 0.5).step(vars,
        tape.backward(vars.apply(bias).square().sum().scale(0.5)));
    assertEquals(3 - 0.1 * 3 / (3 + 1e-8), bias.value().get(0, 0), 1e-15);
    assertEquals("AdamW(α = 0.1, β₁ = 0.9, β₂ = 0.999, ε = 1.0E-8, λ_w = 0.5)", o.toString());
  }

  /** A frozen parameter is bound as a constant: it gets no gradient and no update. */
  @Test
  void aFrozenParameterIsNotUpdated() {
    theta.setFrozen(true);
    step(Optimizer.sgd(0.1));
    assertArrayEquals(new double[] {1, -2}, theta.value().data, 0);
  }

  @Test
  void aGradientOfTheWrongShapeIsRejectedBeforeAnyUpdate() {
    Optimizer o = Optimizer.sgd(0.1);
    java.util.Map<Parameter, DMatrixRMaj> g = new java.util.LinkedHashMap<>();
    g.put(unused, new DMatrixRMaj(1, 1, true, 1));
    g.put(theta, new DMatrixRMaj(2, 1));
    check(() -> {
      o.step(g);
      return null;
    }, "SGD(α = 0.1): the gradient of θ (1×2) is 2×1");
    assertEquals(7, unused.value().get(0, 0));
    assertEquals(0, o.steps());
  }

  @Test
  void badSettingsAreRejectedWithTheValue() {
    check(() -> Optimizer.nesterov(0.1, -0.1), "μ must be in [0, 1), got -0.1");
    check(() -> Optimizer.rmsprop(0.1, 1, 1e-8), "ρ must be in [0, 1), got 1.0");
    check(() -> Optimizer.adamW(0.1, -1), "weight decay must be finite and >= 0, got -1.0");
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
