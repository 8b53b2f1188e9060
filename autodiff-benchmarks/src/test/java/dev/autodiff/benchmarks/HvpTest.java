package dev.autodiff.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autodiff.benchmarks.Workload.Params;
import dev.autodiff.core.Derivatives;
import dev.autodiff.core.Node;
import dev.autodiff.core.Tape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What HvpBenchmark times is a Hessian-vector product, and its gradient is the gradient. */
class HvpTest {
  static Hvp problem;

  @BeforeAll
  static void build() {
    Blas.threads(1);
    problem = new Hvp(HvpBenchmark.WORKLOAD);
  }

  /**
   * (∇J(θ + εv) − ∇J(θ − εv)) / 2ε, by the gradient plan. J is piecewise quadratic in θ (relu
   * networks with squared terms), so as long as no relu changes sides within ±εv the difference
   * has no truncation error, only rounding.
   */
  static List<DMatrixRMaj> centralDifference(double epsilon) {
    List<DMatrixRMaj> theta = matrices(problem.params());
    List<DMatrixRMaj> start = copies(theta);
    DMatrixRMaj[] v = problem.directions();
    try {
      move(theta, start, v, epsilon);
      List<DMatrixRMaj> plus = copies(problem.gradient());
      move(theta, start, v, -epsilon);
      List<DMatrixRMaj> minus = copies(problem.gradient());
      List<DMatrixRMaj> out = new ArrayList<>();
      for (int i = 0; i < plus.size(); i++) {
        DMatrixRMaj d = new DMatrixRMaj(plus.get(i).numRows, plus.get(i).numCols);
        CommonOps_DDRM.add(1 / (2 * epsilon), plus.get(i), -1 / (2 * epsilon), minus.get(i), d);
        out.add(d);
      }
      return out;
    } finally {
      for (int i = 0; i < theta.size(); i++) {
        theta.get(i).setTo(start.get(i));
      }
    }
  }

  @Test
  void thePlansHvpIsTheCentralDifferenceOfTheGradientAlongV() {
    List<DMatrixRMaj> hv = copies(problem.hvp());
    List<DMatrixRMaj> numeric = centralDifference(1e-7);
    for (int i = 0; i < hv.size(); i++) {
      double rel = StepsAgreeTest.maxRelative(numeric.get(i), hv.get(i));
      assertTrue(rel <= 1e-6, "θ" + i + ": max |Hv − difference| / max |difference| = " + rel);
    }
    // H·v is not ∇J: a plan that returned the gradient would fail here
    List<DMatrixRMaj> g = copies(problem.gradient());
    assertTrue(StepsAgreeTest.maxRelative(hv.get(0), g.get(0)) > 0.1);
  }

  /** The same check fails for the product with another direction: it can tell them apart. */
  @Test
  void anotherDirectionsProductIsCaught() {
    List<DMatrixRMaj> numeric = centralDifference(1e-7);
    DMatrixRMaj[] v = problem.directions();
    DMatrixRMaj[] saved = Arrays.stream(v).map(DMatrixRMaj::copy).toArray(DMatrixRMaj[]::new);
    try {
      CommonOps_DDRM.scale(1.001, v[0]); // the constant the HVP plan reads
      List<DMatrixRMaj> off = copies(problem.hvp());
      assertTrue(StepsAgreeTest.maxRelative(numeric.get(0), off.get(0)) > 1e-6);
    } finally {
      for (int i = 0; i < v.length; i++) {
        v[i].setTo(saved[i]);
      }
    }
  }

  @Test
  void eagerAndPlannedResultsAgreeWithEachOtherAndWithDerivatives() {
    List<DMatrixRMaj> hv = copies(problem.hvp());
    List<DMatrixRMaj> eagerHv = problem.eagerHvp();
    List<DMatrixRMaj> g = copies(problem.gradient());
    List<DMatrixRMaj> eagerG = problem.eagerGradient();
    List<DMatrixRMaj> reference = Derivatives.hvp(HvpTest::objective,
        matrices(problem.params()), Arrays.asList(problem.directions()));
    assertEquals(hv.size(), reference.size());
    for (int i = 0; i < hv.size(); i++) {
      assertTrue(StepsAgreeTest.maxRelative(eagerHv.get(i), hv.get(i)) <= 1e-10, "Hv θ" + i);
      assertTrue(StepsAgreeTest.maxRelative(reference.get(i), hv.get(i)) <= 1e-10, "θ" + i);
      assertTrue(StepsAgreeTest.maxRelative(eagerG.get(i), g.get(i)) <= 1e-10, "∇J θ" + i);
    }
  }

  /** J written again on Derivatives' variables: weights first, then biases, as Hvp orders them. */
  private static Node objective(List<Node> theta) {
    Workload.Problem p = HvpBenchmark.WORKLOAD.problem(Workload.SEED);
    int layers = theta.size() / 2;
    Tape tape = theta.get(0).tape();
    Node h = tape.constant(p.x());
    for (int k = 0; k < layers; k++) {
      Node z = h.matmulTransB(theta.get(k)).add(theta.get(layers + k));
      h = k < layers - 1 ? z.relu() : z;
    }
    Node J = tape.constant(p.y()).sub(h).halfSquaredNorm();
    for (int k = 0; k < layers; k++) {
      J = J.add(theta.get(k).halfSquaredNorm());
    }
    return J;
  }

  /** θ = start + ε·v, in place. */
  private static void move(List<DMatrixRMaj> theta, List<DMatrixRMaj> start, DMatrixRMaj[] v,
      double epsilon) {
    for (int i = 0; i < theta.size(); i++) {
      CommonOps_DDRM.add(start.get(i), epsilon, v[i], theta.get(i));
    }
  }

  private static List<DMatrixRMaj> matrices(Params p) {
    List<DMatrixRMaj> all = new ArrayList<>(Arrays.asList(p.w()));
    all.addAll(Arrays.asList(p.b()));
    return all;
  }

  private static List<DMatrixRMaj> copies(List<DMatrixRMaj> ms) {
    return ms.stream().map(DMatrixRMaj::copy).toList();
  }
}
