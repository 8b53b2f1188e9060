package dev.autodiff.core.check;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.autodiff.core.Gradients;
import dev.autodiff.core.Node;
import dev.autodiff.core.Shapes;
import dev.autodiff.core.Tape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.ejml.data.DMatrixRMaj;

/**
 * Compares the tape's gradients of a scalar function with central finite differences,
 * (f(θ + ε) − f(θ − ε)) / 2ε, element by element for every variable.
 *
 * <p>The function is rebuilt on a fresh tape for every evaluation, so it may be any model or custom
 * op. An element passes when |analytic − numeric| ≤ absTol + relTol·max(|analytic|, |numeric|).
 *
 * <pre>{@code
 * GradientCheck.defaults()
 *     .check(v -> v.get(0).matmul(v.get(1)).relu().sum(), W, x)
 *     .assertPassed();
 * }</pre>
 */
public final class GradientCheck {
  private final double epsilon;
  private final double absTol;
  private final double relTol;

  private GradientCheck(double epsilon, double absTol, double relTol) {
    checkArgument(epsilon > 0, "epsilon must be > 0, got %s", epsilon);
    checkArgument(absTol >= 0 && relTol >= 0, "tolerances must be >= 0, got %s and %s", absTol,
        relTol);
    this.epsilon = epsilon;
    this.absTol = absTol;
    this.relTol = relTol;
  }

  /** ε = 1e-6, absTol = 1e-6, relTol = 1e-5. */
  public static GradientCheck defaults() {
    return new GradientCheck(1e-6, 1e-6, 1e-5);
  }

  public GradientCheck epsilon(double epsilon) {
    return new GradientCheck(epsilon, absTol, relTol);
  }

  public GradientCheck tolerance(double absTol, double relTol) {
    return new GradientCheck(epsilon, absTol, relTol);
  }

  /** Checks f at the given inputs, which become variables named x0, x1, … Inputs Not modified. */
  public Report check(Function<List<Node>, Node> f, DMatrixRMaj... inputs) {
    Map<String, DMatrixRMaj> named = new LinkedHashMap<>();
    for (int i = 0; i < inputs.length; i++) {
      named.put("x" + i, inputs[i]);
    }
    return checkNamed(v -> f.apply(ImmutableList.copyOf(v.values())), named);
  }

  /**
   * Checks f at the named inputs (in the map's order), each a variable with its name. Inputs Not
   * modified: the checker perturbs copies.
   */
  public Report checkNamed(Function<Map<String, Node>, Node> f, Map<String, DMatrixRMaj> inputs) {
    checkArgument(!inputs.isEmpty(), "no inputs to check");
    Map<String, DMatrixRMaj> theta = new LinkedHashMap<>();
    inputs.forEach((k, v) -> theta.put(k, v.copy()));

    Tape tape = new Tape();
    Map<String, Node> vars = variables(tape, theta);
    Node J = f.apply(vars);
    if (J.rows() != 1 || J.cols() != 1) {
      throw new IllegalArgumentException(
          "gradient check needs a scalar function, got " + Shapes.describe(J));
    }
    Gradients g = tape.backward(J);

    List<Result> results = new ArrayList<>();
    for (Map.Entry<String, Node> e : vars.entrySet()) {
      Node v = e.getValue();
      DMatrixRMaj analytic = g.has(v) ? g.get(v) : new DMatrixRMaj(v.rows(), v.cols());
      results.add(compare(e.getKey(), f, theta, theta.get(e.getKey()), analytic));
    }
    return new Report(J.scalar(), epsilon, absTol, relTol, results);
  }

  /**
   * Second order, as PyTorch's gradgradcheck: for h(θ) = Σᵢ ⟨∂f/∂θᵢ, Rᵢ⟩ with fixed random Rᵢ
   * (seeded), compares h's gradient, H·R from a backward through the recorded backward of f, with
   * central differences of h. The inputs become variables named x0, x1, … Inputs Not modified.
   */
  public Report checkSecondOrder(Function<List<Node>, Node> f, DMatrixRMaj... inputs) {
    Map<String, DMatrixRMaj> named = new LinkedHashMap<>();
    for (int i = 0; i < inputs.length; i++) {
      named.put("x" + i, inputs[i]);
    }
    return checkSecondOrderNamed(v -> f.apply(ImmutableList.copyOf(v.values())), named);
  }

  /** {@link #checkSecondOrder} with named inputs, each a variable with its name. */
  public Report checkSecondOrderNamed(Function<Map<String, Node>, Node> f,
      Map<String, DMatrixRMaj> inputs) {
    Random random = new Random(1);
    Map<String, DMatrixRMaj> directions = new LinkedHashMap<>();
    inputs.forEach((k, m) -> {
      DMatrixRMaj r = new DMatrixRMaj(m.numRows, m.numCols);
      for (int i = 0; i < r.getNumElements(); i++) {
        r.data[i] = 2 * random.nextDouble() - 1;
      }
      directions.put(k, r);
    });
    return checkNamed(vars -> {
      Node J = f.apply(vars);
      if (J.rows() != 1 || J.cols() != 1) {
        throw new IllegalArgumentException(
            "gradient check needs a scalar function, got " + Shapes.describe(J));
      }
      Tape tape = J.tape();
      List<Node> gradients = tape.grad(J, vars.values().toArray(new Node[0]));
      Node h = null;
      int i = 0;
      for (Map.Entry<String, Node> e : vars.entrySet()) {
        Node term = gradients.get(i++).mul(tape.constant("R_" + e.getKey(),
            directions.get(e.getKey()))).sum();
        h = h == null ? term : h.add(term);
      }
      return h;
    }, inputs);
  }

  private Result compare(String name, Function<Map<String, Node>, Node> f,
      Map<String, DMatrixRMaj> theta, DMatrixRMaj m, DMatrixRMaj analytic) {
    double maxAbs = 0;
    double maxRel = 0;
    double worstExcess = -1;
    int worst = 0;
    double worstNumeric = 0;
    int failures = 0;
    for (int k = 0; k < m.getNumElements(); k++) {
      double saved = m.data[k];
      double numeric;
      try {
        m.data[k] = saved + epsilon;
        double plus = evaluate(f, theta);
        m.data[k] = saved - epsilon;
        double minus = evaluate(f, theta);
        numeric = (plus - minus) / (2 * epsilon);
      } finally {
        m.data[k] = saved;
      }
      double a = analytic.data[k];
      double abs = Math.abs(a - numeric);
      double scale = Math.max(Math.abs(a), Math.abs(numeric));
      // where both values are within absTol of 0, the absolute test decides: their ratio is noise
      double rel = scale <= absTol ? 0 : abs / scale;
      double excess = abs / (absTol + relTol * scale);
      if (!(abs <= absTol + relTol * scale)) {
        failures++;
        excess = Double.isNaN(excess) ? Double.POSITIVE_INFINITY : excess;
      }
      maxAbs = Math.max(maxAbs, abs);
      maxRel = Math.max(maxRel, rel);
      if (excess > worstExcess) {
        worstExcess = excess;
        worst = k;
        worstNumeric = numeric;
      }
    }
    return new Result(name, m.numRows, m.numCols, maxAbs, maxRel, worst / m.numCols,
        worst % m.numCols, analytic.data[worst], worstNumeric, failures);
  }

  private static double evaluate(Function<Map<String, Node>, Node> f,
      Map<String, DMatrixRMaj> theta) {
    return f.apply(variables(new Tape(), theta)).scalar();
  }

  private static Map<String, Node> variables(Tape tape, Map<String, DMatrixRMaj> theta) {
    ImmutableMap.Builder<String, Node> vars = ImmutableMap.builder();
    theta.forEach((k, v) -> vars.put(k, tape.variable(k, v)));
    return vars.build();
  }

  /**
   * One variable's comparison: the largest errors and the element that fits worst (the one using
   * the largest share of its tolerance). The relative error |a − n| / max(|a|, |n|) counts only
   * elements with max(|a|, |n|) &gt; absTol.
   */
  public record Result(String name, int rows, int cols, double maxAbsError, double maxRelError,
      int worstRow, int worstCol, double analytic, double numeric, int failures) {

    public boolean passed() {
      return failures == 0;
    }

    @Override
    public String toString() {
      return String.format("%-10s %-8s max abs %.3e  max rel %.3e  worst (%d, %d): analytic %.12g"
              + "  numeric %.12g  %s", name, Shapes.of(rows, cols), maxAbsError, maxRelError,
          worstRow, worstCol, analytic, numeric,
          passed() ? "ok" : "FAILED (" + failures + " of " + rows * cols + " elements)");
    }
  }

  /** Every variable's result, and the settings used. */
  public record Report(double value, double epsilon, double absTol, double relTol,
      List<Result> results) {

    public Report {
      results = List.copyOf(results);
    }

    public boolean passed() {
      return results.stream().allMatch(Result::passed);
    }

    /** The largest relative error over all variables (elements with max(|a|, |n|) &gt; absTol). */
    public double maxRelError() {
      return results.stream().mapToDouble(Result::maxRelError).max().orElse(0);
    }

    /** The largest absolute error over all variables. */
    public double maxAbsError() {
      return results.stream().mapToDouble(Result::maxAbsError).max().orElse(0);
    }

    /** Throws an {@link AssertionError} (a test failure in JUnit) carrying this report. */
    public Report assertPassed() {
      if (!passed()) {
        throw new AssertionError("gradient check failed\n" + this);
      }
      return this;
    }

    @Override
    public String toString() {
      StringBuilder s = new StringBuilder(String.format(
          "f = %.12g, ε = %.1e, pass if |a − n| ≤ %.1e + %.1e·max(|a|, |n|)%n", value, epsilon,
          absTol, relTol));
      results.forEach(r -> s.append(r).append('\n'));
      long failed = results.stream().filter(r -> !r.passed()).count();
      s.append(failed == 0 ? "all " + results.size() + " variables passed"
          : failed + " of " + results.size() + " variables FAILED");
      return s.toString();
    }
  }
}
