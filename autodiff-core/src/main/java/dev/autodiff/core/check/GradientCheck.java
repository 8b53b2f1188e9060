package dev.autodiff.core.check;

import dev.autodiff.core.Gradients;
import dev.autodiff.core.Node;
import dev.autodiff.core.Shapes;
import dev.autodiff.core.Tape;
import dev.autodiff.core.check.Diagnosis.Compared;
import dev.autodiff.core.check.Differences.Entry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import org.ejml.data.DMatrixRMaj;

/**
 * Compares the tape's gradients of a scalar function with central finite differences,
 * (f(θ + ε) − f(θ − ε)) / 2ε, for every variable.
 *
 * <p>The function is rebuilt on a fresh tape for every evaluation, so it may be any model or custom
 * op. A compared value passes when |a − n| ≤ absTol + relTol·max(|a|, |n|), a analytic and n
 * numeric. By default the absolute tolerance follows the size of the gradients compared:
 *
 * <pre>
 * absTol = 1e-4·G + 1e-14·N/ε + 1e-14·V/X,
 *   G = the largest |a| or |n| compared,
 *   N = Σ over the values v that move with the variables of Σ |v ⊙ ∂f/∂v|,
 *   V = the largest |v| of those values, X = the largest |x| of the variables
 * </pre>
 *
 * so that a gradient ×2 too large fails whatever the function's scale (a loss scaled by 1e-7
 * included) while a correct tiny gradient passes. The second term is what central differences
 * cannot resolve: N is how far rounding every recorded value by one relative unit moves f (f itself
 * included, and the terms of a sum that cancels to about 0), 1e-14 about 50 ulps of it, divided by
 * the step. The third is the rounding left in a gradient that is 0 in exact arithmetic (a variance
 * of equal rows): its analytic value is a few ulps of the values it was computed from, which the
 * gradients themselves cannot reveal. {@link #tolerance} sets a fixed absolute tolerance instead.
 *
 * <p>What is compared: every element ({@link #defaults()}), k random elements per variable
 * ({@link #sampled}), or k random directions u per variable, ⟨∇f, u⟩ against the central difference
 * along u ({@link #directions}: two evaluations per direction whatever the size). A failed
 * variable's report names its worst elements with both values and both errors, and a diagnosis
 * when the errors follow a pattern (sign flipped, a constant factor, transposed, missing, another
 * variable's gradient, a kink within ε).
 *
 * <pre>{@code
 * GradientCheck.defaults()
 *     .check(v -> v.get(0).matmul(v.get(1)).relu().sum(), W, x)
 *     .assertPassed();
 * }</pre>
 */
public final class GradientCheck {
  /** The share of the largest gradient entry that the default absolute tolerance allows. */
  static final double DEFAULT_SCALE = 1e-4;
  /** The relative rounding of f that central differences cannot resolve: about 50 ulps. */
  static final double ROUNDING = 1e-14;
  /** How many failing elements a variable's report lists. */
  private static final int LISTED = 3;

  private enum Sampling { EVERY_ELEMENT, ELEMENTS, DIRECTIONS }

  private final double epsilon;
  /** The fixed absolute tolerance; NaN when it is scaled to the gradients. */
  private final double absTol;
  /** The share of G in the scaled absolute tolerance; NaN when it is fixed. */
  private final double scale;
  private final double relTol;
  private final Sampling sampling;
  private final int count;
  private final long seed;

  private GradientCheck(double epsilon, double absTol, double scale, double relTol,
      Sampling sampling, int count, long seed) {
    this.epsilon = epsilon;
    this.absTol = absTol;
    this.scale = scale;
    this.relTol = relTol;
    this.sampling = sampling;
    this.count = count;
    this.seed = seed;
  }

  /**
   * ε = 1e-6, relTol = 1e-5, absTol = 1e-4·G + 1e-14·N/ε + 1e-14·V/X (scaled to the gradients, see above),
   * every element, seed 1 for the random directions of {@link #checkSecondOrder}.
   */
  public static GradientCheck defaults() {
    return new GradientCheck(1e-6, Double.NaN, DEFAULT_SCALE, 1e-5, Sampling.EVERY_ELEMENT, 0, 1);
  }

  /** The step of the central differences. */
  public GradientCheck epsilon(double epsilon) {
    if (epsilon <= 0) {
      throw new IllegalArgumentException(String.format("epsilon must be > 0, got %s", epsilon));
    }
    return new GradientCheck(epsilon, absTol, scale, relTol, sampling, count, seed);
  }

  /** A fixed absolute tolerance, whatever the size of the gradients, and a relative one. */
  public GradientCheck tolerance(double absTol, double relTol) {
    checkTolerances(absTol, relTol);
    return new GradientCheck(epsilon, absTol, Double.NaN, relTol, sampling, count, seed);
  }

  /**
   * absTol = scale·G + 1e-14·N/ε, with G the largest |analytic| or |numeric| compared and N the
   * rounding scale of f (see above), and a relative tolerance: the default rule with other factors.
   */
  public GradientCheck scaledTolerance(double scale, double relTol) {
    checkTolerances(scale, relTol);
    return new GradientCheck(epsilon, Double.NaN, scale, relTol, sampling, count, seed);
  }

  private static void checkTolerances(double abs, double rel) {
    if (!(abs >= 0 && rel >= 0)) {
      throw new IllegalArgumentException(String.format(
          "tolerances must be >= 0, got %s and %s", abs, rel));
    }
  }

  /** Compares every element of every variable (the default): 2 evaluations per element. */
  public GradientCheck everyElement() {
    return new GradientCheck(epsilon, absTol, scale, relTol, Sampling.EVERY_ELEMENT, 0, seed);
  }

  /**
   * Compares k elements of each variable drawn at random with this seed (every element of a
   * variable that has at most k): for big inputs, 2k evaluations per variable.
   */
  public GradientCheck sampled(int k, long seed) {
    if (k < 1) {
      throw new IllegalArgumentException(String.format("sampled: k must be >= 1, got %s", k));
    }
    return new GradientCheck(epsilon, absTol, scale, relTol, Sampling.ELEMENTS, k, seed);
  }

  /**
   * Compares k random directions u per variable (entries uniform in [−1, 1], drawn with this
   * seed): ⟨∂f/∂x, u⟩ against (f(x + εu) − f(x − εu)) / 2ε, as PyTorch's fast mode; 2k evaluations
   * per variable whatever its size. A wrong element shows in every direction that weighs it.
   */
  public GradientCheck directions(int k, long seed) {
    if (k < 1) {
      throw new IllegalArgumentException(String.format("directions: k must be >= 1, got %s", k));
    }
    return new GradientCheck(epsilon, absTol, scale, relTol, Sampling.DIRECTIONS, k, seed);
  }

  /** Checks f at the given inputs, which become variables named x0, x1, … Inputs Not modified. */
  public Report check(Function<List<Node>, Node> f, DMatrixRMaj... inputs) {
    return checkNamed(v -> f.apply(List.copyOf(v.values())), named(inputs));
  }

  /**
   * Checks f at the named inputs (in the map's order), each a variable with its name. Inputs Not
   * modified: the checker perturbs copies.
   */
  public Report checkNamed(Function<Map<String, Node>, Node> f, Map<String, DMatrixRMaj> inputs) {
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("no inputs to check");
    }
    Map<String, DMatrixRMaj> theta = new LinkedHashMap<>();
    inputs.forEach((k, v) -> theta.put(k, v.copy()));

    Tape tape = new Tape();
    Map<String, Node> vars = variables(tape, theta);
    Node J = requireScalar(f.apply(vars));
    Gradients g = tape.backward(J);

    Map<String, DMatrixRMaj> analytic = new LinkedHashMap<>();
    vars.forEach((name, v) -> analytic.put(name,
        g.has(v) ? g.get(v) : new DMatrixRMaj(v.rows(), v.cols())));
    return compare(J.scalar(), roundingScale(J, g), theta, analytic, () -> evaluate(f, theta));
  }

  /**
   * Second order, as PyTorch's gradgradcheck: for h(θ) = Σᵢ ⟨∂f/∂θᵢ, Rᵢ⟩ with fixed random Rᵢ
   * (drawn with the seed), compares h's gradient, H·R from a backward through the recorded
   * backward of f, with central differences of h. The inputs become variables named x0, x1, …
   * Inputs Not modified.
   */
  public Report checkSecondOrder(Function<List<Node>, Node> f, DMatrixRMaj... inputs) {
    return checkSecondOrderNamed(v -> f.apply(List.copyOf(v.values())), named(inputs));
  }

  /** {@link #checkSecondOrder} with named inputs, each a variable with its name. */
  public Report checkSecondOrderNamed(Function<Map<String, Node>, Node> f,
      Map<String, DMatrixRMaj> inputs) {
    Random random = new Random(seed);
    Map<String, DMatrixRMaj> directions = new LinkedHashMap<>();
    inputs.forEach((k, m) -> {
      DMatrixRMaj r = new DMatrixRMaj(m.numRows, m.numCols);
      for (int i = 0; i < r.getNumElements(); i++) {
        r.data[i] = 2 * random.nextDouble() - 1;
      }
      directions.put(k, r);
    });
    return checkNamed(vars -> {
      Node J = requireScalar(f.apply(vars));
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

  /**
   * Every chain-rule term of J's backward on its own: for each consumer c and each input n of c
   * with a gradient, prod(∂J/∂c, ∂c/∂n) ({@link Gradients#contribution}, the terms a trace prints)
   * against central differences of the path through c alone. The graph is replayed on a new tape
   * with c's input replaced by a separate leaf holding n's value, so that perturbing it moves n
   * only where c reads it. A wrong term is named even when the terms of a gradient add up to the
   * right total. Terms come in reverse tape order, named {@code prod(∂J/∂c, ∂c/∂n)}. J Not
   * modified.
   */
  public Report checkTerms(Node J) {
    requireScalar(Objects.requireNonNull(J, "J"));
    Gradients g = J.tape().backward(J);
    List<Node> nodes = J.tape().nodes();
    List<Term> terms = new ArrayList<>();
    for (int i = J.index(); i >= 0; i--) {
      Node c = nodes.get(i);
      if (c.op() == null || !g.has(c)) {
        continue;
      }
      for (int k = 0; k < c.arity(); k++) {
        if (g.has(c.input(k))) {
          terms.add(new Term(c, k));
        }
      }
    }
    if (terms.isEmpty()) {
      throw new IllegalArgumentException(String.format(
          "checkTerms: %s depends on no variable", J.name()));
    }
    return compareTerms(J, g, terms);
  }

  /**
   * One chain-rule term prod(∂J/∂c, ∂c/∂n), n being c's input i, against central differences of
   * the path through c alone, as in {@link #checkTerms}: e.g. a trace's {@code Explanation.Term}
   * as {@code checkTerm(J, term.consumer(), term.input())}.
   */
  public Report checkTerm(Node J, Node consumer, int input) {
    requireScalar(Objects.requireNonNull(J, "J"));
    Objects.requireNonNull(consumer, "consumer");
    if (input < 0 || input >= consumer.arity()) {
      throw new IllegalArgumentException(String.format(
          "checkTerm: %s has no input %s", consumer.name(), input));
    }
    Gradients g = J.tape().backward(J);
    if (!g.has(consumer) || !g.has(consumer.input(input))) {
      throw new IllegalArgumentException(String.format(
          "checkTerm: no gradient flows from %s through %s to %s",
          J.name(), consumer.name(), consumer.input(input).name()));
    }
    return compareTerms(J, g, List.of(new Term(consumer, input)));
  }

  private record Term(Node consumer, int input) {
    String name(Node J) {
      Node c = consumer;
      Node n = c.input(input);
      long reads = c.inputs().stream().filter(x -> x == n).count();
      return "prod(∂" + J.name() + "/∂" + c.name() + ", ∂" + c.name() + "/∂" + n.name() + ")"
          + (reads > 1 ? " [input " + input + "]" : "");
    }
  }

  private Report compareTerms(Node J, Gradients g, List<Term> terms) {
    Map<String, DMatrixRMaj> theta = new LinkedHashMap<>();
    Map<String, DMatrixRMaj> analytic = new LinkedHashMap<>();
    Map<String, DoubleSupplier> paths = new LinkedHashMap<>();
    for (Term t : terms) {
      String name = t.name(J);
      DMatrixRMaj z = t.consumer().input(t.input()).value().copy();
      Replay path = new Replay(J, t.consumer(), t.input());
      theta.put(name, z);
      analytic.put(name, g.contribution(t.consumer(), t.input()));
      paths.put(name, () -> path.evaluate(z));
    }
    return compareEach(J.scalar(), roundingScale(J, g), theta, analytic, paths);
  }

  private Report compare(double value, Rounding rounding, Map<String, DMatrixRMaj> theta,
      Map<String, DMatrixRMaj> analytic, DoubleSupplier f) {
    Map<String, DoubleSupplier> each = new LinkedHashMap<>();
    theta.keySet().forEach(k -> each.put(k, f));
    return compareEach(value, rounding, theta, analytic, each);
  }

  /**
   * N = Σ over the recorded values v that move with the variables of Σₖ |vₖ·∂J/∂vₖ|, J itself
   * included: how far rounding each value by a relative u would move J, to first order (the
   * adjoint estimate of a computation's rounding error). A cancelling sum, whose J is near 0 while
   * its terms are not, gets the terms' scale.
   */
  private static Rounding roundingScale(Node J, Gradients g) {
    double sum = 0;
    double largest = Math.abs(J.scalar());
    for (Node n : J.tape().nodes().subList(0, J.index() + 1)) {
      if (g.has(n)) {
        DMatrixRMaj d = g.get(n);
        DMatrixRMaj v = n.value();
        for (int k = 0; k < v.getNumElements(); k++) {
          sum += Math.abs(v.data[k] * d.data[k]);
          largest = Math.max(largest, Math.abs(v.data[k]));
        }
      }
    }
    return new Rounding(Math.max(sum, Math.abs(J.scalar())), largest);
  }

  /** N, the rounding scale of f, and V, the largest value that moves with the variables. */
  private record Rounding(double scale, double largestValue) {}

  /**
   * Each variable's analytic gradient against central differences of its own f (one function for
   * every variable, or a replay per term), then the tolerance from all compared values.
   */
  private Report compareEach(double value, Rounding rounding, Map<String, DMatrixRMaj> theta,
      Map<String, DMatrixRMaj> analytic, Map<String, DoubleSupplier> f) {
    Random random = new Random(seed);
    List<Compared> compared = new ArrayList<>();
    double largest = 0;
    for (Map.Entry<String, DMatrixRMaj> e : theta.entrySet()) {
      String name = e.getKey();
      DMatrixRMaj m = e.getValue();
      DMatrixRMaj a = analytic.get(name);
      List<Entry> entries = switch (sampling) {
        case EVERY_ELEMENT -> Differences.elements(m, a, Integer.MAX_VALUE, random, epsilon,
            f.get(name));
        case ELEMENTS -> Differences.elements(m, a, count, random, epsilon, f.get(name));
        case DIRECTIONS -> Differences.directions(m, a, count, random, epsilon, f.get(name));
      };
      for (Entry x : entries) {
        largest = Math.max(largest, Math.max(Math.abs(x.analytic()), Math.abs(x.numeric())));
      }
      compared.add(new Compared(name, m.numRows, m.numCols,
          entries.size() == m.getNumElements() && sampling != Sampling.DIRECTIONS, entries));
    }
    boolean scaled = Double.isNaN(absTol);
    double inputs = 0;
    for (DMatrixRMaj m : theta.values()) {
      for (int k = 0; k < m.getNumElements(); k++) {
        inputs = Math.max(inputs, Math.abs(m.data[k]));
      }
    }
    // V/X: a gradient's rounding in units of f per unit of x; an all-zero input counts as 1
    double zeroGradient = ROUNDING * rounding.largestValue() / (inputs > 0 ? inputs : 1);
    double tol = scaled
        ? scale * largest + ROUNDING * rounding.scale() / epsilon + zeroGradient : absTol;
    List<Result> results = new ArrayList<>();
    for (Compared c : compared) {
      results.add(result(c, compared, tol, theta.get(c.name()), f.get(c.name())));
    }
    String rule = scaled
        ? String.format("%.0e·G + %.0e·N/ε + %.0e·V/X with G = %.3g, the largest |a| or |n|"
            + " compared, N = %.3g, the rounding scale of f, and V/X = %.3g, the largest value"
            + " over the largest input", scale, ROUNDING, ROUNDING, largest, rounding.scale(),
            rounding.largestValue() / (inputs > 0 ? inputs : 1))
        : "fixed";
    return new Report(value, epsilon, tol, relTol, checked(), rule, results);
  }

  private String checked() {
    return switch (sampling) {
      case EVERY_ELEMENT -> "every element";
      case ELEMENTS -> count + " random element" + (count == 1 ? "" : "s") + " per variable, seed "
          + seed;
      case DIRECTIONS -> count + " random direction" + (count == 1 ? "" : "s")
          + " per variable, seed " + seed;
    };
  }

  private Result result(Compared c, List<Compared> all, double tol, DMatrixRMaj m,
      DoubleSupplier f) {
    double maxAbs = 0;
    double maxRel = 0;
    double worstExcess = -1;
    Entry worst = c.entries().get(0);
    List<Mismatch> failed = new ArrayList<>();
    for (Entry x : c.entries()) {
      double a = x.analytic();
      double n = x.numeric();
      double abs = Math.abs(a - n);
      double size = Math.max(Math.abs(a), Math.abs(n));
      // where both values are within absTol of 0, the absolute test decides: their ratio is noise
      double rel = size <= tol ? 0 : abs / size;
      double excess = abs / (tol + relTol * size);
      if (!(abs <= tol + relTol * size)) {
        excess = Double.isNaN(excess) ? Double.POSITIVE_INFINITY : excess;
        failed.add(new Mismatch(where(x, c.cols()), a, n, abs, Math.abs(a - n) / size, excess));
      }
      maxAbs = Math.max(maxAbs, abs);
      maxRel = Math.max(maxRel, rel);
      if (excess > worstExcess) {
        worstExcess = excess;
        worst = x;
      }
    }
    failed.sort(Comparator.comparingDouble(Mismatch::excess).reversed());
    String diagnosis = "";
    if (!failed.isEmpty()) {
      diagnosis = kink(worst, m, tol, f);
      if (diagnosis.isEmpty()) {
        diagnosis = Diagnosis.of(c, all, tol, relTol);
      }
    }
    int row = worst.isDirection() ? -1 : worst.index() / c.cols();
    int col = worst.isDirection() ? worst.direction() : worst.index() % c.cols();
    return new Result(c.name(), c.rows(), c.cols(), maxAbs, maxRel, row, col, worst.analytic(),
        worst.numeric(), failed.size(), c.entries().size(), c.entries().get(0).isDirection(),
        failed.subList(0, Math.min(LISTED, failed.size())), diagnosis);
  }

  /**
   * A failed element whose numeric derivative moves when the step shrinks tenfold: f is not smooth
   * within ε of it, and the comparison says nothing about the gradient there.
   */
  private String kink(Entry worst, DMatrixRMaj m, double tol, DoubleSupplier f) {
    if (worst.isDirection()) {
      return "";
    }
    double finer = Differences.element(m, worst.index(), epsilon / 10, f);
    if (Diagnosis.close(finer, worst.numeric(), tol, relTol)) {
      return "";
    }
    return String.format("the numeric derivative at %s moves with the step (%.6g at ε, %.6g at"
            + " ε/10): f has a kink or a jump within ε of this input; check away from it",
        where(worst, m.numCols), worst.numeric(), finer);
  }

  private static String where(Entry x, int cols) {
    return x.isDirection() ? "direction " + x.direction()
        : "(" + x.index() / cols + ", " + x.index() % cols + ")";
  }

  private static Node requireScalar(Node J) {
    if (J.rows() != 1 || J.cols() != 1) {
      throw new IllegalArgumentException(
          "gradient check needs a scalar function, got " + Shapes.describe(J));
    }
    return J;
  }

  private static Map<String, DMatrixRMaj> named(DMatrixRMaj... inputs) {
    Map<String, DMatrixRMaj> named = new LinkedHashMap<>();
    for (int i = 0; i < inputs.length; i++) {
      named.put("x" + i, inputs[i]);
    }
    return named;
  }

  private static double evaluate(Function<Map<String, Node>, Node> f,
      Map<String, DMatrixRMaj> theta) {
    return f.apply(variables(new Tape(), theta)).scalar();
  }

  private static Map<String, Node> variables(Tape tape, Map<String, DMatrixRMaj> theta) {
    Map<String, Node> vars = new LinkedHashMap<>();
    theta.forEach((k, v) -> vars.put(k, tape.variable(k, v)));
    return Collections.unmodifiableMap(vars);
  }

  /**
   * One failed value: where (an element's "(row, col)" or "direction d"), analytic, numeric,
   * |a − n| and |a − n| / max(|a|, |n|); excess is |a − n| over what the tolerance allows.
   */
  public record Mismatch(String where, double analytic, double numeric, double absError,
      double relError, double excess) {

    @Override
    public String toString() {
      return String.format("%s: analytic %.12g  numeric %.12g  abs error %.3e  rel error %.3e",
          where, analytic, numeric, absError, relError);
    }
  }

  /**
   * One variable's comparison: the largest errors and the value that fits worst (the one using the
   * largest share of its tolerance), at (worstRow, worstCol) for an element, or with worstRow = −1
   * and worstCol the direction's number in {@link #directions} mode. The relative error
   * |a − n| / max(|a|, |n|) counts only values with max(|a|, |n|) &gt; absTol. {@code failed}
   * lists the worst few failures; {@code diagnosis} says what their pattern suggests, or is empty.
   */
  public record Result(String name, int rows, int cols, double maxAbsError, double maxRelError,
      int worstRow, int worstCol, double analytic, double numeric, int failures, int checked,
      boolean directions, List<Mismatch> failed, String diagnosis) {

    /** Keeps an unmodifiable copy of the failed values. */
    public Result {
      failed = List.copyOf(failed);
    }

    /** True when no value of this variable failed. */
    public boolean passed() {
      return failures == 0;
    }

    @Override
    public String toString() {
      String worst = directions ? "direction " + worstCol : "(" + worstRow + ", " + worstCol + ")";
      String what = directions ? " directions" : " elements";
      StringBuilder s = new StringBuilder(String.format("%-10s %-8s max abs %.3e  max rel %.3e"
              + "  worst %s: analytic %.12g  numeric %.12g  %s", name, Shapes.of(rows, cols),
          maxAbsError, maxRelError, worst, analytic, numeric,
          passed() ? "ok" : "FAILED (" + failures + " of " + checked + what + ")"));
      if (!passed()) {
        if (!diagnosis.isEmpty()) {
          s.append("\n    ").append(diagnosis);
        }
        failed.forEach(m -> s.append("\n    ").append(m));
      }
      return s.toString();
    }
  }

  /**
   * Every variable's result, and the settings used: absTol is the absolute tolerance applied (for
   * the default rule, computed from the values compared; {@code toleranceRule} says how), and
   * {@code checked} what was compared ("every element", or the sampling and its seed).
   */
  public record Report(double value, double epsilon, double absTol, double relTol, String checked,
      String toleranceRule, List<Result> results) {

    /** Keeps an unmodifiable copy of the results. */
    public Report {
      results = List.copyOf(results);
    }

    /** True when every variable passed. */
    public boolean passed() {
      return results.stream().allMatch(Result::passed);
    }

    /** The largest relative error over all variables (values with max(|a|, |n|) &gt; absTol). */
    public double maxRelError() {
      return results.stream().mapToDouble(Result::maxRelError).max().orElse(0);
    }

    /** The largest absolute error over all variables. */
    public double maxAbsError() {
      return results.stream().mapToDouble(Result::maxAbsError).max().orElse(0);
    }

    /** The first failed variable's result, if any. */
    public java.util.Optional<Result> firstFailure() {
      return results.stream().filter(r -> !r.passed()).findFirst();
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
          "f = %.12g, ε = %.1e, %s checked; pass if |a − n| ≤ %.1e + %.1e·max(|a|, |n|)"
              + " (absTol: %s)%n", value, epsilon, checked, absTol, relTol, toleranceRule));
      results.forEach(r -> s.append(r).append('\n'));
      long failed = results.stream().filter(r -> !r.passed()).count();
      String what = results.stream().allMatch(r -> r.name().startsWith("prod(")) ? " terms"
          : " variables";
      s.append(failed == 0 ? "all " + results.size() + what + " passed"
          : failed + " of " + results.size() + what + " FAILED");
      return s.toString();
    }
  }
}
