package dev.autodiff.core.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The default tolerance follows the gradients' size (absTol = 1e-4·G + 1e-14·N/ε + 1e-14·V/X);
 * sampled elements and random directions for big inputs.
 */
class ScaledToleranceTest {
  final DMatrixRMaj x = new DMatrixRMaj(2, 3, true, 0.3, -1.2, 0.7, 1.9, -0.4, 0.8);

  @Test
  void theAbsoluteToleranceIsTheDocumentedRule() {
    // f = Σ x² at x = [1, 2]: G = 4 (∂f/∂x₂); N = Σ|x ⊙ 2x| + Σ|x²| + |f| = 10 + 5 + 5 = 20;
    // V = f = 5, X = 2
    GradientCheck.Report r = GradientCheck.defaults()
        .check(v -> v.get(0).square().sum(), new DMatrixRMaj(1, 2, true, 1, 2));
    // G is the numeric 4 + about 1e-10: its share 1e-4·G moves absTol by about 1e-14
    assertEquals(1e-4 * 4 + 1e-14 * 20 / 1e-6 + 1e-14 * 5 / 2, r.absTol(), 2e-14);
    assertTrue(r.toString().contains("(absTol: 1e-04·G + 1e-14·N/ε + 1e-14·V/X with G = 4.00, the"
        + " largest |a| or |n| compared, N = 20.0, the rounding scale of f, and V/X = 2.50, the"
        + " largest value over the largest input)"), r::toString);
    // an explicit tolerance is used as given
    GradientCheck.Report fixed = GradientCheck.defaults().tolerance(1e-3, 0)
        .check(v -> v.get(0).square().sum(), new DMatrixRMaj(1, 2, true, 1, 2));
    assertEquals(1e-3, fixed.absTol());
    assertTrue(fixed.toString().contains("(absTol: fixed)"), fixed::toString);
  }

  @Test
  void aKinkCrossingIsCaughtAtAGradientScaleOf1eMinus6() {
    // GradientCheckTest's relu across its kink, at scale 1e-6: a 25% error a fixed 1e-6 let pass
    GradientCheck.Report r = GradientCheck.defaults()
        .check(v -> v.get(0).relu().scale(1e-6).sum(), new DMatrixRMaj(1, 1, true, 5e-7));
    assertFalse(r.passed(), r::toString);
    assertEquals(0.25, r.maxRelError(), 1e-9);
  }

  @Test
  void correctTinyGradientsPass() {
    // tiny against f itself: f = 1 + 1e-9·Σx, whose differences are mostly f's rounding
    assertPasses(GradientCheck.defaults().check(v -> v.get(0).sum().scale(1e-9).add(1), x));
    // a loss scaled by 1e-12, and one whose gradient is exactly 0
    assertPasses(GradientCheck.defaults().check(v -> v.get(0).tanh().square().sum()
        .scale(1e-12), x));
    assertPasses(GradientCheck.defaults().check(v -> v.get(0).sub(v.get(0)).sum(), x));
    // a gradient 0 in exact arithmetic whose analytic value is rounding: the variance of rows
    // that are all equal (found by the random-graph fuzzer)
    assertPasses(GradientCheck.defaults().check(v -> v.get(0).sin().repeatRows(3)
        .add(v.get(0)).varianceCols().sum(), new DMatrixRMaj(1, 6, true, 0.3, -1.2, 0.7, 1.9,
        -0.4, 0.8)));
    // a sum cancelling to about 0 whose terms are not: softmax rows sum to 1 whatever x
    GradientCheck.Report r = GradientCheck.defaults()
        .checkSecondOrder(v -> v.get(0).sigmoid().softmax().sum(), x);
    assertPasses(r);
    assertTrue(r.absTol() > 1e-14, r::toString);
  }

  @Test
  void sampledElementsAreSeededAndReported() {
    DMatrixRMaj big = new DMatrixRMaj(30, 40);
    for (int k = 0; k < big.getNumElements(); k++) {
      big.data[k] = Math.sin(k);
    }
    GradientCheck sampled = GradientCheck.defaults().sampled(5, 42);
    GradientCheck.Report r = sampled.check(v -> v.get(0).tanh().sum(), big).assertPassed();
    assertEquals(5, r.results().get(0).checked());
    assertEquals("5 random elements per variable, seed 42", r.checked());
    assertTrue(r.toString().startsWith("f = "), r::toString);
    assertTrue(r.toString().contains(", 5 random elements per variable, seed 42 checked;"),
        r::toString);
    // the same seed compares the same elements; another seed others
    assertEquals(r.toString(), sampled.check(v -> v.get(0).tanh().sum(), big).toString());
    assertNotEquals(r.toString(), GradientCheck.defaults().sampled(5, 43)
        .check(v -> v.get(0).tanh().sum(), big).toString());
    // k at least the size: every element
    assertEquals(6, GradientCheck.defaults().sampled(10, 1).check(v -> v.get(0).sum(), x)
        .results().get(0).checked());
  }

  @Test
  void randomDirectionsCostTwoEvaluationsEachAndAreReported() {
    int[] evaluations = {0};
    GradientCheck.Report r = GradientCheck.defaults().directions(3, 9).check(v -> {
      evaluations[0]++;
      return v.get(0).tanh().square().sum();
    }, x).assertPassed();
    assertEquals(1 + 2 * 3, evaluations[0]); // one recording, then ± along each direction
    assertEquals(3, r.results().get(0).checked());
    assertTrue(r.results().get(0).directions());
    assertEquals("3 random directions per variable, seed 9", r.checked());
    assertEquals(-1, r.results().get(0).worstRow());
  }

  @Test
  void modesAreValidated() {
    assertThrows(IllegalArgumentException.class, () -> GradientCheck.defaults().sampled(0, 1));
    assertThrows(IllegalArgumentException.class,
        () -> GradientCheck.defaults().directions(0, 1));
    assertThrows(IllegalArgumentException.class,
        () -> GradientCheck.defaults().scaledTolerance(-1, 0));
  }

  private static void assertPasses(GradientCheck.Report r) {
    assertTrue(r.passed(), r::toString);
  }
}
