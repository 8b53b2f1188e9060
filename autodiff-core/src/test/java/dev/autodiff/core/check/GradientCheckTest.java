package dev.autodiff.core.check;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class GradientCheckTest {
  final DMatrixRMaj a = new DMatrixRMaj(2, 2, true, 1, -2, 0.5, 3);

  @Test
  void reportsPerVariableErrorsAndTheWorstElement() {
    DMatrixRMaj x = new DMatrixRMaj(2, 1, true, 0.3, -0.8);
    GradientCheck.Report r = GradientCheck.defaults().checkNamed(
        v -> v.get("W").matmul(v.get("x")).tanh().sum(), ordered("W", a, "x", x));
    assertTrue(r.passed(), r::toString);
    assertEquals(2, r.results().size());
    assertEquals("W", r.results().get(0).name());
    assertEquals("x", r.results().get(1).name());
    assertTrue(r.maxAbsError() < 1e-8, r::toString);
    assertTrue(r.toString().endsWith("all 2 variables passed"), r::toString);
  }

  @Test
  void leavesTheCallersMatricesUntouched() {
    double[] before = a.data.clone();
    GradientCheck.defaults().check(v -> v.get(0).square().sum(), a);
    assertArrayEquals(before, a.data, 0);
  }

  @Test
  void aTooCoarseStepFails() {
    // tinygrad's check: with ε = 0.1, the cubic's difference quotient is off by ε² = 1e-2
    GradientCheck.Report r = GradientCheck.defaults().epsilon(0.1)
        .check(v -> v.get(0).mul(v.get(0)).mul(v.get(0)).sum(), a);
    assertFalse(r.passed());
    GradientCheck.Result w = r.results().get(0);
    assertEquals(0.01, w.maxAbsError(), 1e-9);
  }

  @Test
  void relativeErrorCountsOnlyElementsAboveTheAbsoluteTolerance() {
    // relu across its kink at 5e-7 < ε: numeric 0.75e-6 against analytic 1e-6. Both are within
    // a fixed absTol = 1e-6 of 0, so the absolute test decides and their ratio (25%) is not
    // reported. (The default tolerance scales with the gradients and fails it: see
    // ScaledToleranceTest.)
    GradientCheck.Report r = GradientCheck.defaults().tolerance(1e-6, 1e-5)
        .check(v -> v.get(0).relu().scale(1e-6).sum(), new DMatrixRMaj(1, 1, true, 5e-7));
    assertTrue(r.passed(), r::toString);
    assertEquals(0.25e-6, r.maxAbsError(), 1e-12);
    assertEquals(0, r.maxRelError());
    // scaled up past absTol the same ratio counts, and fails
    GradientCheck.Report big = GradientCheck.defaults()
        .check(v -> v.get(0).relu().sum(), new DMatrixRMaj(1, 1, true, 5e-7));
    assertFalse(big.passed());
    assertEquals(0.25, big.maxRelError(), 1e-9);
  }

  @Test
  void aNonScalarFunctionIsRejected() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> GradientCheck.defaults().check(v -> v.get(0).exp(), a));
    assertTrue(e.getMessage().startsWith("gradient check needs a scalar function, got"));
  }

  @Test
  void settingsAreValidated() {
    assertThrows(IllegalArgumentException.class, () -> GradientCheck.defaults().epsilon(0));
    assertThrows(IllegalArgumentException.class,
        () -> GradientCheck.defaults().tolerance(-1, 0));
  }

  /** The two named inputs, in this order (which the report keeps). */
  private static Map<String, DMatrixRMaj> ordered(String k1, DMatrixRMaj v1, String k2,
      DMatrixRMaj v2) {
    Map<String, DMatrixRMaj> m = new LinkedHashMap<>();
    m.put(k1, v1);
    m.put(k2, v2);
    return m;
  }
}
