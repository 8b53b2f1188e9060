package dev.autodiff.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autodiff.benchmarks.Workload.Params;
import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The eager, plan, hand EJML and hand BLAS steps must train the same weights, or the timings mean
 * nothing. The plan adds the penalty inside the BLAS call, so it agrees to rounding, not bit for
 * bit.
 */
class StepsAgreeTest {
  static final double TOLERANCE = 1e-10;
  static final double ETA = 1e-3;
  static final int STEPS = 4;

  @BeforeAll
  static void oneThread() {
    Blas.threads(1);
  }

  @ParameterizedTest
  @EnumSource(value = Workload.class, names = {"W1", "W2", "W3"})
  void everyImplementationTrainsTheSameWeights(Workload workload) {
    Workload.Problem problem = workload.problem(Workload.SEED);
    Params eager = train(Step.Impl.EAGER, problem, ETA);
    for (Step.Impl impl : List.of(Step.Impl.PLAN, Step.Impl.EJML, Step.Impl.BLAS)) {
      assertEquals(List.of(), differences(eager, train(impl, problem, ETA)), "eager vs " + impl);
    }
    // the steps moved the weights, so agreeing is not agreeing on the starting point
    assertTrue(maxRelative(problem.params().w()[0], eager.w()[0]) > 1e-6,
        "the steps did not change W1");
  }

  /** Each step computes J on the way: the same J, step by step, at the benchmarks' η. */
  @ParameterizedTest
  @EnumSource(value = Workload.class, names = {"W1", "W2", "W3"})
  void everyImplementationComputesTheSameJ(Workload workload) {
    Workload.Problem problem = workload.problem(Workload.SEED);
    Step reference = Step.Impl.EAGER.create(problem, StepBenchmark.ETA);
    List<Step> others = new ArrayList<>();
    for (Step.Impl impl : List.of(Step.Impl.PLAN, Step.Impl.EJML, Step.Impl.BLAS)) {
      others.add(impl.create(problem, StepBenchmark.ETA));
    }
    double first = 0;
    for (int i = 0; i < STEPS; i++) {
      reference.step();
      double expected = reference.J();
      first = i == 0 ? expected : first;
      // J = ½‖Y − V‖² + ½Σ‖W‖²: the penalty alone is ½ · Σ_k (in_k · out_k) · 2/in_k on average
      assertTrue(expected > 0.5 * problem.params().layers(), "J = " + expected);
      for (Step other : others) {
        other.step();
        assertEquals(expected, other.J(), TOLERANCE * expected, other.getClass().getSimpleName());
      }
    }
    assertTrue(reference.J() < first, "J did not go down: " + first + " → " + reference.J());
  }

  /** Both spellings of the penalty that PenaltyBenchmark compares train the same weights. */
  @Test
  void theLiteralPenaltyTrainsTheSameWeightsAsHalfSquaredNorm() {
    Workload.Problem problem = PenaltyBenchmark.WORKLOAD.problem(Workload.SEED);
    Step half = PenaltyBenchmark.step(problem, ETA, Network.Penalty.HALF_SQUARED_NORM);
    Step literal = PenaltyBenchmark.step(problem, ETA, Network.Penalty.LITERAL);
    for (int i = 0; i < STEPS; i++) {
      half.step();
      literal.step();
      assertEquals(half.J(), literal.J(), TOLERANCE * half.J(), "J at step " + i);
    }
    assertEquals(List.of(), differences(half.params(), literal.params()));
    assertTrue(maxRelative(problem.params().w()[0], half.params().w()[0]) > 1e-6,
        "the steps did not change W1");
  }

  /**
   * What the report says the plan does to this step: each weight gradient's product takes the
   * penalty's W as β·C, and each hidden layer's bias add and relu run as one instruction.
   */
  @Test
  void thePlanFoldsThePenaltyIntoTheProductsAndFusesBiasAndRelu() {
    String plan = Step.Impl.PLAN.create(Workload.W4.problem(Workload.SEED), ETA).toString();
    for (String w : List.of("W1", "W2", "W3")) {
      assertTrue(plan.contains(") + β·" + w + " (β = "), w + " is not folded:\n" + plan);
    }
    assertTrue(plan.contains("= relu(") && plan.contains(" + b1)") && plan.contains(" + b2)"),
        plan);
  }

  /** A tolerance that any discrepancy passes would make the test above worthless. */
  @Test
  void aStepThatDiffersSlightlyIsCaught() {
    Workload.Problem problem = Workload.W2.problem(Workload.SEED);
    Params reference = train(Step.Impl.EJML, problem, ETA);
    Params off = train(Step.Impl.BLAS, problem, ETA * (1 + 1e-6));
    assertTrue(!differences(reference, off).isEmpty(), "a 1e-6 change in η went unnoticed");
  }

  @Test
  void weightsStayFiniteOverManySteps() {
    Step step = Step.Impl.EJML.create(Workload.W2.problem(Workload.SEED), StepBenchmark.ETA);
    for (int i = 0; i < 20_000; i++) {
      step.step();
    }
    for (DMatrixRMaj w : step.params().w()) {
      for (int i = 0; i < w.getNumElements(); i++) {
        assertTrue(Double.isFinite(w.data[i]) && Math.abs(w.data[i]) < 10);
      }
    }
  }

  static Params train(Step.Impl impl, Workload.Problem problem, double eta) {
    Step step = impl.create(problem, eta);
    for (int i = 0; i < STEPS; i++) {
      step.step();
    }
    return step.params();
  }

  /** One line per weight or bias whose entries differ by more than TOLERANCE relative. */
  static List<String> differences(Params a, Params b) {
    List<String> out = new ArrayList<>();
    for (int k = 0; k < a.layers(); k++) {
      check("W" + (k + 1), a.w()[k], b.w()[k], out);
      check("b" + (k + 1), a.b()[k], b.b()[k], out);
    }
    return out;
  }

  private static void check(String name, DMatrixRMaj a, DMatrixRMaj b, List<String> out) {
    double rel = maxRelative(a, b);
    if (!(rel <= TOLERANCE)) {
      out.add(name + ": max |a − b| / max |a| = " + rel);
    }
  }

  /** max |a − b| over max |a|: relative to the matrix's scale, so entries near 0 don't dominate. */
  static double maxRelative(DMatrixRMaj a, DMatrixRMaj b) {
    double diff = 0;
    double scale = 0;
    for (int i = 0; i < a.getNumElements(); i++) {
      diff = Math.max(diff, Math.abs(a.data[i] - b.data[i]));
      scale = Math.max(scale, Math.abs(a.data[i]));
    }
    return diff / scale;
  }
}
