package dev.autodiff.core.check;

import dev.autodiff.core.Gradients;
import dev.autodiff.core.Node;
import dev.autodiff.core.Op;
import dev.autodiff.core.Primitive;
import dev.autodiff.core.Shape;
import dev.autodiff.core.Shapes;
import dev.autodiff.core.Tape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.ejml.data.DMatrixRMaj;

/**
 * Checks an op's gradient in one call: a built-in or custom {@link Op}, or a function of nodes such
 * as {@code Node::relu}, at inputs of given shapes drawn at random (seeded). For each set of shapes
 * it runs, in this order:
 *
 * <ol>
 *   <li><b>shape contract</b>: forward and backward leave the inputs, y and g = ∂J/∂y
 *       unchanged, and each gradient has its input's shape (a broadcast input's summed back);
 *   <li><b>first order</b>: J = Σ y ⊙ R with a fixed random R, its gradient against central
 *       differences ({@link GradientCheck});
 *   <li><b>second order</b>: the gradient of ⟨∇J, R'⟩ through the recorded backward, as PyTorch's
 *       gradgradcheck ({@link GradientCheck#checkSecondOrder}); skipped, saying so, for an op whose
 *       gradient is matrix code ({@link Op#backward}), which is differentiable once;
 *   <li><b>fan-out</b>: one node x as every input that takes a gradient, and the output used twice,
 *       J = ⟨y, R₁⟩ + ⟨y ⊙ y, R₂⟩. This engine adds the contributions of a node used several times
 *       itself, and gives a matrix-code backward fresh zeros per input, so what can fail here is an
 *       op's own code combining contributions: a backward that special-cases a shared input
 *       ({@code x[0] == x[1]}) and assigns one contribution where it should add both. The report
 *       then says which input's contribution it kept;
 *   <li><b>applied twice</b>: two applications of the same op instance in one graph, to different
 *       values: an op that keeps state from its last forward (a field read by backward) gives the
 *       first application the second one's gradient;
 *   <li><b>determinism</b>: two backwards of one graph, and one of a graph recorded anew, give the
 *       same gradients bit for bit.
 * </ol>
 *
 * <p><b>Inputs.</b> Each input is drawn from magnitudes in [0.1, 2] of either sign, only positive
 * when an op reading it declares {@link dev.autodiff.core.Domain#POSITIVE} or {@code NON_NEGATIVE},
 * and at least 0.1 from every kink declared by an op reading it ({@link Primitive#kinks}). For a
 * function of several ops, those are the ops that read the input node directly. A custom {@link Op}
 * that does not extend {@link Primitive} declares neither: its inputs are drawn from the same
 * default, which keeps away from 0, the edge of every domain and the usual place of kinks and
 * poles; give {@link #range} for other values and {@link #avoid} for kinks elsewhere. An input
 * that takes no gradient (a mask) is given with {@link #constant}. When the op refuses the values
 * drawn, the check throws, naming the input and what it was drawn from.
 *
 * <pre>{@code
 * OpCheck.of(new LogCosh()).check(new Shape(2, 3)).assertPassed();
 * OpCheck.of(Node::matmul).check(new Shape(2, 3), new Shape(3, 4)).assertPassed();
 * OpCheck.of(Node::add).checkEach(s -> List.of(s, new Shape(1, s.cols()))).assertPassed();
 * }</pre>
 */
public final class OpCheck {
  /**
   * The shapes a table of cases covers: 1×1, a row 1×4, a column 5×1, tall 3×2, wide 2×3 and
   * square 3×3.
   */
  public static final List<Shape> SHAPES = List.of(new Shape(1, 1), new Shape(1, 4),
      new Shape(5, 1), new Shape(3, 2), new Shape(2, 3), new Shape(3, 3));

  /** The parts of one case's check, in the order they run. */
  public enum Part {
    /** The inputs, y and g left unchanged; each gradient shaped like its input. */
    SHAPE_CONTRACT("shape contract"),
    /** The gradient against central differences. */
    FIRST_ORDER("first order"),
    /** The gradient of the gradient, against central differences of the gradient. */
    SECOND_ORDER("second order"),
    /** One node as every input that takes a gradient, and the output used twice. */
    FAN_OUT("fan-out"),
    /** The same op instance applied to two sets of values in one graph. */
    APPLIED_TWICE("applied twice"),
    /** Two backwards of one graph, and one of the graph recorded anew, agree bit for bit. */
    DETERMINISM("determinism");

    private final String label;

    Part(String label) {
      this.label = label;
    }

    @Override
    public String toString() {
      return label;
    }
  }

  /** How a part of a case came out. */
  public enum Status {
    /** Checked and right. */
    PASSED,
    /** Checked and wrong: the outcome says how. */
    FAILED,
    /** Not checked, saying why (e.g. a second order through matrix code). */
    SKIPPED
  }

  private final String name;
  /** The number of inputs; −1 when it is the number of shapes given. */
  private final int arity;
  private final Function<List<Node>, Node> apply;
  private final GradientCheck gradients;
  private final long seed;
  private final Map<Integer, double[]> ranges;
  private final Map<Integer, double[]> kinks;
  private final Map<Integer, Function<Shape, DMatrixRMaj>> constants;

  private OpCheck(String name, int arity, Function<List<Node>, Node> apply,
      GradientCheck gradients, long seed, Map<Integer, double[]> ranges,
      Map<Integer, double[]> kinks, Map<Integer, Function<Shape, DMatrixRMaj>> constants) {
    this.name = name;
    this.arity = arity;
    this.apply = apply;
    this.gradients = gradients;
    this.seed = seed;
    this.ranges = Map.copyOf(ranges);
    this.kinks = Map.copyOf(kinks);
    this.constants = Map.copyOf(constants);
  }

  private static OpCheck create(String name, int arity, Function<List<Node>, Node> apply) {
    return new OpCheck(name, arity, apply, GradientCheck.defaults(), 1, Map.of(), Map.of(),
        Map.of());
  }

  /**
   * A built-in's or a custom op's check. A {@link Primitive} knows its arity; any other op takes
   * one input per shape given to {@link #check} (use {@link #of(Op, int)} to fix it).
   */
  public static OpCheck of(Op op) {
    Objects.requireNonNull(op, "op");
    return create(op.name(), op instanceof Primitive p ? p.arity() : -1, applying(op));
  }

  /** A custom op of this many inputs. */
  public static OpCheck of(Op op, int arity) {
    Objects.requireNonNull(op, "op");
    if (arity < 1) {
      throw new IllegalArgumentException(String.format(
          "OpCheck: arity must be >= 1, got %s", arity));
    }
    return create(op.name(), arity, applying(op));
  }

  /** A function of one node, e.g. {@code Node::relu}; named after the ops it records. */
  public static OpCheck of(UnaryOperator<Node> f) {
    Objects.requireNonNull(f, "f");
    return create(null, 1, v -> f.apply(v.get(0)));
  }

  /** A function of two nodes, e.g. {@code Node::matmul}; named after the ops it records. */
  public static OpCheck of(BinaryOperator<Node> f) {
    Objects.requireNonNull(f, "f");
    return create(null, 2, v -> f.apply(v.get(0), v.get(1)));
  }

  /** A named function of arity nodes. */
  public static OpCheck of(String name, int arity, Function<List<Node>, Node> f) {
    Objects.requireNonNull(f, "f");
    if (arity < 1) {
      throw new IllegalArgumentException(String.format(
          "OpCheck: arity must be >= 1, got %s", arity));
    }
    return create(Objects.requireNonNull(name, "name"), arity, f);
  }

  private static Function<List<Node>, Node> applying(Op op) {
    return v -> v.get(0).tape().apply(op, v.toArray(new Node[0]));
  }

  /** The seed of the inputs and readouts drawn (1 by default). */
  public OpCheck seed(long seed) {
    return new OpCheck(name, arity, apply, gradients, seed, ranges, kinks, constants);
  }

  /**
   * The comparisons' settings: tolerances, ε, and what is compared (every element by default;
   * {@link GradientCheck#sampled} or {@link GradientCheck#directions} for big inputs).
   */
  public OpCheck gradientCheck(GradientCheck settings) {
    Objects.requireNonNull(settings, "settings");
    return new OpCheck(name, arity, apply, settings, seed, ranges, kinks, constants);
  }

  /**
   * Draws input i uniformly from [lo, hi], still away from its kinks, and from 0 when an op
   * reading it restricts its domain.
   */
  public OpCheck range(int input, double lo, double hi) {
    if (input < 0) {
      throw new IllegalArgumentException(String.format("OpCheck: no input %s", input));
    }
    if (lo >= hi) {
      throw new IllegalArgumentException(String.format(
          "OpCheck: range needs lo < hi, got %s and %s", lo, hi));
    }
    Map<Integer, double[]> r = new HashMap<>(ranges);
    r.put(input, new double[] {lo, hi});
    return new OpCheck(name, arity, apply, gradients, seed, r, kinks, constants);
  }

  /** Keeps input i's draws at least 0.1 from these points: kinks a custom op cannot declare. */
  public OpCheck avoid(int input, double... points) {
    if (input < 0) {
      throw new IllegalArgumentException(String.format("OpCheck: no input %s", input));
    }
    Map<Integer, double[]> k = new HashMap<>(kinks);
    k.put(input, points.clone());
    return new OpCheck(name, arity, apply, gradients, seed, ranges, k, constants);
  }

  /**
   * Input i is a constant (no gradient, not perturbed), valued by this function of its shape: a
   * mask, an index, a target.
   */
  public OpCheck constant(int input, Function<Shape, DMatrixRMaj> values) {
    if (input < 0) {
      throw new IllegalArgumentException(String.format("OpCheck: no input %s", input));
    }
    Map<Integer, Function<Shape, DMatrixRMaj>> c = new HashMap<>(constants);
    c.put(input, Objects.requireNonNull(values, "values"));
    return new OpCheck(name, arity, apply, gradients, seed, ranges, kinks, c);
  }

  /** Every input rows×cols. */
  public Report check(int rows, int cols) {
    return check(new Shape(rows, cols));
  }

  /**
   * One case: one shape per input, or a single shape for every input. Throws {@link
   * IllegalArgumentException} when the op refuses the shapes or the values drawn.
   */
  public Report check(Shape... shapes) {
    if (shapes.length < 1) {
      throw new IllegalArgumentException("OpCheck: give at least one shape");
    }
    Case c = run(List.of(shapes));
    return new Report(c.op(), List.of(c));
  }

  /** One case per shape of {@link #SHAPES}, the inputs' shapes made from it by inputShapes. */
  public Report checkEach(Function<Shape, List<Shape>> inputShapes) {
    return checkEach(SHAPES, inputShapes);
  }

  /** One case per base shape, the inputs' shapes made from it by inputShapes. */
  public Report checkEach(List<Shape> bases, Function<Shape, List<Shape>> inputShapes) {
    List<Case> cases = new ArrayList<>();
    for (Shape s : bases) {
      cases.add(run(inputShapes.apply(s)));
    }
    if (cases.isEmpty()) {
      throw new IllegalArgumentException("OpCheck: no shapes to check");
    }
    return new Report(cases.get(0).op(), cases);
  }

  // ---- one case ----

  /** What the checks of one case share: the shapes, the values drawn and the readout. */
  private final class Setup {
    final String op;
    final List<Shape> shapes;
    final Random random;
    final List<Sampler> samplers;
    final DMatrixRMaj[] values;
    final Shape output;
    final List<Integer> differentiable = new ArrayList<>();

    Setup(List<Shape> given) {
      String what = name != null ? name : "the function";
      int n = arity > 0 ? arity : given.size();
      if (given.size() != 1 && given.size() != n) {
        throw new IllegalArgumentException(String.format(
            "OpCheck: %s takes %s input%s, got %s shapes",
            what, n, n == 1 ? "" : "s", given.size()));
      }
      List<Shape> s = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        s.add(given.size() == 1 ? given.get(0) : given.get(i));
      }
      this.shapes = List.copyOf(s);
      for (int i : ranges.keySet()) {
        if (i >= n) {
          throw new IllegalArgumentException(String.format(
              "OpCheck: range for input %s, but %s takes %s", i, what, n));
        }
      }
      for (int i = 0; i < n; i++) {
        if (!constants.containsKey(i)) {
          differentiable.add(i);
        }
      }
      if (differentiable.isEmpty()) {
        throw new IllegalArgumentException(
            "OpCheck: every input is a constant: nothing to differentiate");
      }
      this.random = new Random(seed * 1_000_003L + shapes.hashCode());

      // a probe at ones, a value inside every domain, tells the reading ops and the output shape
      Tape probe = new Tape();
      List<Node> in = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        in.add(leaf(probe, i, ones(shapes.get(i)), constantValue(i, shapes.get(i))));
      }
      Node y;
      try {
        y = apply.apply(in);
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException("OpCheck: " + what + " refused inputs of ones: "
            + e.getMessage() + "; give the inputs' values with range(…) or constant(…)", e);
      } catch (IndexOutOfBoundsException e) {
        if (arity > 0) {
          throw e;
        }
        throw new IllegalArgumentException("OpCheck: " + what + " threw " + e + " given " + n
            + " input" + (n == 1 ? "" : "s") + ": for an op of more inputs give one shape per"
            + " input, or OpCheck.of(op, arity)", e);
      }
      this.op = name != null ? name : opNames(probe, y);
      this.output = y.shape();
      this.samplers = Sampler.of(probe.nodes(), in);
      for (int i = 0; i < n; i++) {
        Sampler sampler = samplers.get(i);
        if (ranges.containsKey(i)) {
          sampler.range(ranges.get(i)[0], ranges.get(i)[1]);
        }
        if (kinks.containsKey(i)) {
          sampler.avoid(kinks.get(i));
        }
      }
      this.values = draw(shapes);
    }

    DMatrixRMaj[] draw(List<Shape> at) {
      DMatrixRMaj[] v = new DMatrixRMaj[at.size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = constants.containsKey(i) ? constantValue(i, at.get(i))
            : samplers.get(i).draw("input " + i + " of " + op, at.get(i).rows(), at.get(i).cols(),
                random);
      }
      return v;
    }

    DMatrixRMaj constantValue(int i, Shape s) {
      return constants.containsKey(i) ? constants.get(i).apply(s) : null;
    }

    DMatrixRMaj readout(Shape s) {
      DMatrixRMaj r = new DMatrixRMaj(s.rows(), s.cols());
      for (int k = 0; k < r.getNumElements(); k++) {
        r.data[k] = 2 * random.nextDouble() - 1;
      }
      return r;
    }

    /** The op's output for these input nodes; a domain error names what was drawn. */
    Node y(List<Node> in) {
      try {
        return apply.apply(in);
      } catch (ArithmeticException e) {
        StringBuilder drawn = new StringBuilder();
        for (int i : differentiable) {
          drawn.append("; input ").append(i).append(" from ").append(samplers.get(i).describe());
        }
        throw new IllegalArgumentException("OpCheck: " + op + " refused the values drawn: "
            + e.getMessage() + drawn + ". Give a range(i, lo, hi) inside its domain, or"
            + " constant(i, …) for an input that takes no gradient (a mask)", e);
      }
    }

    /** The inputs of one evaluation: the variables named xi, the constants as they are. */
    List<Node> inputs(Map<String, Node> vars, DMatrixRMaj[] at) {
      List<Node> in = new ArrayList<>();
      Tape tape = vars.values().iterator().next().tape();
      for (int i = 0; i < shapes.size(); i++) {
        in.add(constants.containsKey(i) ? tape.constant("x" + i, at[i]) : vars.get("x" + i));
      }
      return in;
    }

    Map<String, DMatrixRMaj> variables(DMatrixRMaj[] at, String suffix) {
      Map<String, DMatrixRMaj> theta = new LinkedHashMap<>();
      for (int i : differentiable) {
        theta.put("x" + i + suffix, at[i]);
      }
      return theta;
    }
  }

  private static Node leaf(Tape tape, int i, DMatrixRMaj variable, DMatrixRMaj constant) {
    return constant != null ? tape.constant("x" + i, constant) : tape.variable("x" + i, variable);
  }

  private static DMatrixRMaj ones(Shape s) {
    DMatrixRMaj m = new DMatrixRMaj(s.rows(), s.cols());
    m.fill(1);
    return m;
  }

  /** "mul∘step": the ops a function recorded, outermost first. */
  private static String opNames(Tape tape, Node y) {
    List<String> names = new ArrayList<>();
    for (Node n : tape.nodes()) {
      if (n.op() != null && n.index() <= y.index()) {
        names.add(0, n.op().name());
      }
    }
    return names.isEmpty() ? "identity" : String.join("∘", names);
  }

  private Case run(List<Shape> shapes) {
    Setup s = new Setup(shapes);
    List<Outcome> out = new ArrayList<>();
    Outcome contract = guarded(Part.SHAPE_CONTRACT, () -> contract(s));
    out.add(contract);
    if (contract.status() == Status.FAILED) {
      for (Part t : List.of(Part.FIRST_ORDER, Part.SECOND_ORDER, Part.FAN_OUT, Part.APPLIED_TWICE,
          Part.DETERMINISM)) {
        out.add(new Outcome(t, Status.SKIPPED, "the shape contract failed", null));
      }
      return new Case(s.op, s.shapes, seed, out);
    }
    Outcome first = guarded(Part.FIRST_ORDER, () -> firstOrder(s));
    out.add(first);
    boolean firstPassed = first.status() == Status.PASSED;
    out.add(guarded(Part.SECOND_ORDER, () -> secondOrder(s, firstPassed)));
    out.add(guarded(Part.FAN_OUT, () -> fanOut(s, firstPassed)));
    out.add(guarded(Part.APPLIED_TWICE, () -> appliedTwice(s, firstPassed)));
    out.add(guarded(Part.DETERMINISM, () -> determinism(s)));
    return new Case(s.op, s.shapes, seed, out);
  }

  /** A part's outcome; an exception the op threw is a failure naming it, not a crash. */
  private static Outcome guarded(Part part, Supplier<Outcome> body) {
    try {
      return body.get();
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("OpCheck:")) {
        throw e; // the check's own settings or draws: a mistake to fix, not a finding
      }
      return threw(part, e);
    } catch (RuntimeException e) {
      return threw(part, e);
    }
  }

  private static Outcome threw(Part part, RuntimeException e) {
    return new Outcome(part, Status.FAILED, "threw " + e.getClass().getSimpleName() + ": "
        + e.getMessage(), null);
  }

  private static Outcome passed(Part part, GradientCheck.Report comparison) {
    return new Outcome(part, Status.PASSED, "", comparison);
  }

  private Outcome contract(Setup s) {
    Part t = Part.SHAPE_CONTRACT;
    Tape tape = new Tape();
    List<Node> in = new ArrayList<>();
    DMatrixRMaj[] before = new DMatrixRMaj[s.values.length];
    for (int i = 0; i < s.values.length; i++) {
      DMatrixRMaj v = s.values[i].copy();
      before[i] = v.copy();
      in.add(leaf(tape, i, v, constants.containsKey(i) ? v : null));
    }
    Node y = s.y(in);
    String changed = changed(in, before, "forward");
    if (changed != null) {
      return new Outcome(t, Status.FAILED, changed, null);
    }
    DMatrixRMaj seedG = s.readout(y.shape());
    DMatrixRMaj yBefore = y.value().copy();
    Gradients g;
    try {
      g = tape.backward(y, seedG);
    } catch (IllegalStateException e) {
      String m = String.valueOf(e.getMessage());
      if (!m.contains(" came back ") && !m.contains("backward reshaped")) {
        throw e; // not the engine's shape check: reported as thrown
      }
      return new Outcome(t, Status.FAILED, m + ": each gradient must have its input's shape, and"
          + " a broadcast input's gradient is summed over the rows or columns it was broadcast"
          + " along (sumTo)", null);
    }
    for (int i : s.differentiable) {
      Node x = in.get(i);
      if (g.has(x)) {
        DMatrixRMaj gx = g.get(x);
        if (gx.numRows != x.rows() || gx.numCols != x.cols()) {
          return new Outcome(t, Status.FAILED, "the gradient of " + Shapes.describe(x)
              + " is " + Shapes.of(gx.numRows, gx.numCols) + ": it must have its input's shape",
              null);
        }
      }
    }
    changed = changed(in, before, "backward");
    if (changed != null) {
      return new Outcome(t, Status.FAILED, changed, null);
    }
    if (!Arrays.equals(data(yBefore), data(y.value()))) {
      return new Outcome(t, Status.FAILED, "backward changed y, the recorded output: a value"
          + " recorded on the tape is never modified", null);
    }
    if (g.has(y) && !Arrays.equals(data(seedG), data(g.get(y)))) {
      return new Outcome(t, Status.FAILED, "backward changed g = ∂J/∂y, which it must only read",
          null);
    }
    return passed(t, null);
  }

  /** Which input an op's forward or backward modified, or null. */
  private static String changed(List<Node> in, DMatrixRMaj[] before, String stage) {
    for (int i = 0; i < before.length; i++) {
      DMatrixRMaj now = in.get(i).value();
      for (int k = 0; k < before[i].getNumElements(); k++) {
        if (Double.doubleToLongBits(now.data[k]) != Double.doubleToLongBits(before[i].data[k])) {
          return stage + " changed input " + i + " (x" + i + ") at (" + k / now.numCols + ", "
              + k % now.numCols + "), " + before[i].data[k] + " to " + now.data[k]
              + ": an op must only read its inputs";
        }
      }
    }
    return null;
  }

  private static double[] data(DMatrixRMaj m) {
    return Arrays.copyOf(m.data, m.getNumElements());
  }

  /** J = Σ y ⊙ R as a function of the variables xi. */
  private Function<Map<String, Node>, Node> readout(Setup s, DMatrixRMaj[] at, DMatrixRMaj r) {
    return vars -> {
      Node y = s.y(s.inputs(vars, at));
      return y.mul(y.tape().constant("R", r)).sum();
    };
  }

  private Outcome firstOrder(Setup s) {
    DMatrixRMaj r = s.readout(s.output);
    GradientCheck.Report report = gradients.checkNamed(readout(s, s.values, r),
        s.variables(s.values, ""));
    return judged(Part.FIRST_ORDER, report, null);
  }

  /** The outcome of a comparison: its first failure's variable and diagnosis, and the report. */
  private static Outcome judged(Part t, GradientCheck.Report report, String meaning) {
    if (report.passed()) {
      return passed(t, report);
    }
    GradientCheck.Result r = report.firstFailure().orElseThrow();
    String summary = r.name() + ": " + (r.diagnosis().isEmpty()
        ? "analytic and numeric gradients differ at " + r.failures() + " of " + r.checked()
            + (r.directions() ? " directions" : " elements")
        : r.diagnosis());
    String said = meaning == null ? summary : meaning + " (" + summary + ")";
    return new Outcome(t, Status.FAILED, said, report);
  }

  private Outcome secondOrder(Setup s, boolean firstPassed) {
    DMatrixRMaj r = s.readout(s.output);
    GradientCheck.Report report;
    try {
      report = gradients.checkSecondOrderNamed(readout(s, s.values, r),
          s.variables(s.values, ""));
    } catch (UnsupportedOperationException e) {
      if (e.getMessage() != null && e.getMessage().contains("is differentiable once")) {
        return new Outcome(Part.SECOND_ORDER, Status.SKIPPED, e.getMessage(), null);
      }
      throw e;
    }
    return judged(Part.SECOND_ORDER, report, firstPassed
        ? "the first derivatives pass but their own derivatives do not: the vjp gives the right"
            + " values, not as a function of the inputs (it reads a value, a constant or a matrix"
            + " computed outside Node operations, where it should use a node such as"
            + " y.input(i), so its derivative is lost)"
        : null);
  }

  private Outcome fanOut(Setup s, boolean firstPassed) {
    Part t = Part.FAN_OUT;
    List<Integer> shared = s.differentiable;
    Shape at = sharedShape(s);
    if (at == null) {
      return new Outcome(t, Status.SKIPPED, s.op + " accepts no shapes with one node as inputs "
          + shared + " (tried " + candidates(s) + ")", null);
    }
    Sampler sampler = new Sampler();
    shared.forEach(i -> sampler.and(s.samplers.get(i)));
    DMatrixRMaj x = sampler.draw("the shared input of " + s.op, at.rows(), at.cols(), s.random);
    DMatrixRMaj[] values = new DMatrixRMaj[s.shapes.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = constants.containsKey(i) ? s.constantValue(i, s.shapes.get(i)) : x;
    }
    Shape out = s.y(sharedInputs(values, new Tape().variable("x", x))).shape();
    DMatrixRMaj r1 = s.readout(out);
    DMatrixRMaj r2 = s.readout(out);
    GradientCheck.Report report = gradients.checkNamed(vars -> {
      Node y = s.y(sharedInputs(values, vars.get("x")));
      Tape tape = y.tape();
      return y.mul(tape.constant("R1", r1)).sum().add(y.mul(y).mul(tape.constant("R2", r2)).sum());
    }, Map.of("x", x));
    if (report.passed()) {
      return passed(t, report);
    }
    String meaning = shared.size() > 1 ? sharedMeaning(s, values, x, r1, r2, report)
        : firstPassed ? "with its output used twice the gradient is wrong while one use passes:"
            + " the op's gradient depends on more than g and its inputs (it changes g, or keeps"
            + " something from another call)" : null;
    return judged(t, report, meaning);
  }

  /** The inputs with node x as every input that takes a gradient. */
  private List<Node> sharedInputs(DMatrixRMaj[] values, Node x) {
    List<Node> in = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      in.add(constants.containsKey(i) ? x.tape().constant("x" + i, values[i]) : x);
    }
    return in;
  }

  /**
   * Why the shared-input gradient failed, from each input's contribution alone (the same values as
   * separate variables): the gradient kept one contribution where it should add them all, or it
   * differs from their sum.
   */
  private String sharedMeaning(Setup s, DMatrixRMaj[] values, DMatrixRMaj x, DMatrixRMaj r1,
      DMatrixRMaj r2, GradientCheck.Report report) {
    Tape tape = new Tape();
    Node shared = tape.variable("x", x);
    Node y = s.y(sharedInputs(values, shared));
    Node J = y.mul(tape.constant(r1)).sum().add(y.mul(y).mul(tape.constant(r2)).sum());
    DMatrixRMaj together = tape.backward(J).get(shared);

    Tape apart = new Tape();
    List<Node> in = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      in.add(constants.containsKey(i) ? apart.constant("x" + i, values[i])
          : apart.variable("x" + i, x.copy()));
    }
    Node y2 = s.y(in);
    Node J2 = y2.mul(apart.constant(r1)).sum().add(y2.mul(y2).mul(apart.constant(r2)).sum());
    Gradients g2 = apart.backward(J2);
    DMatrixRMaj sum = new DMatrixRMaj(x.numRows, x.numCols);
    Map<Integer, DMatrixRMaj> each = new LinkedHashMap<>();
    for (int i : s.differentiable) {
      DMatrixRMaj c = g2.has(in.get(i)) ? g2.get(in.get(i)) : new DMatrixRMaj(x.numRows,
          x.numCols);
      each.put(i, c);
      for (int k = 0; k < sum.getNumElements(); k++) {
        sum.data[k] += c.data[k];
      }
    }
    String inputs = "inputs " + s.differentiable.stream().map(String::valueOf)
        .collect(Collectors.joining(" and "));
    double abs = report.absTol();
    double rel = report.relTol();
    if (!near(together, sum, abs, rel)) {
      for (Map.Entry<Integer, DMatrixRMaj> e : each.entrySet()) {
        if (near(together, e.getValue(), abs, rel)) {
          return "with one node x as " + inputs + ", ∂J/∂x holds input " + e.getKey()
              + "'s contribution alone: backward assigns to the gradient of input " + e.getKey()
              + " instead of adding the other inputs' contributions";
        }
      }
      return "with one node x as " + inputs + ", ∂J/∂x differs from the sum of the inputs'"
          + " separate contributions: the op's code combines them itself, wrongly (a shared"
          + " input special-cased)";
    }
    return "with one node x as " + inputs + " and the output used twice, ∂J/∂x is wrong although"
        + " it is the sum of the inputs' separate contributions: a contribution is wrong at"
        + " equal inputs";
  }

  private static boolean near(DMatrixRMaj a, DMatrixRMaj b, double abs, double rel) {
    for (int k = 0; k < a.getNumElements(); k++) {
      if (!Diagnosis.close(a.data[k], b.data[k], abs, rel)) {
        return false;
      }
    }
    return true;
  }

  /** A shape the op takes for one node as every input that takes a gradient, or null. */
  private Shape sharedShape(Setup s) {
    for (Shape c : candidates(s)) {
      Tape tape = new Tape();
      DMatrixRMaj[] values = new DMatrixRMaj[s.shapes.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = s.constantValue(i, s.shapes.get(i));
      }
      try {
        apply.apply(sharedInputs(values, tape.variable("x", ones(c))));
        return c;
      } catch (IllegalArgumentException | ArithmeticException e) {
        // not this shape: try the next
      }
    }
    return null;
  }

  /** The first differentiable input's shape, then a square one. */
  private static List<Shape> candidates(Setup s) {
    Shape first = s.shapes.get(s.differentiable.get(0));
    int n = 0;
    for (Shape x : s.shapes) {
      n = Math.max(n, Math.max(x.rows(), x.cols()));
    }
    Shape square = new Shape(n, n);
    return first.equals(square) ? List.of(first) : List.of(first, square);
  }

  private Outcome appliedTwice(Setup s, boolean firstPassed) {
    DMatrixRMaj[] other = s.draw(s.shapes);
    DMatrixRMaj r1 = s.readout(s.output);
    DMatrixRMaj r2 = s.readout(s.output);
    Map<String, DMatrixRMaj> theta = s.variables(s.values, "");
    theta.putAll(s.variables(other, "'"));
    GradientCheck.Report report = gradients.checkNamed(vars -> {
      Map<String, Node> second = new HashMap<>();
      vars.forEach((k, v) -> {
        if (k.endsWith("'")) {
          second.put(k.substring(0, k.length() - 1), v);
        }
      });
      Node y1 = s.y(s.inputs(vars, s.values));
      Node y2 = s.y(s.inputs(second, other));
      Tape tape = y1.tape();
      return y1.mul(tape.constant("R1", r1)).sum().add(y2.mul(tape.constant("R2", r2)).sum());
    }, theta);
    return judged(Part.APPLIED_TWICE, report, firstPassed
        ? "applied twice in one graph its gradient is wrong while one application passes: the op"
            + " keeps state between calls (a field set by forward and read by backward holds the"
            + " last application's values); compute the gradient from y and y's inputs"
        : null);
  }

  private Outcome determinism(Setup s) {
    Part t = Part.DETERMINISM;
    DMatrixRMaj r = s.readout(s.output);
    List<double[]> first = null;
    List<String> names = new ArrayList<>();
    s.differentiable.forEach(i -> names.add("x" + i));
    for (int run = 0; run < 3; run++) {
      // runs 0 and 1: one graph's backward twice; run 2: the graph recorded anew
      Tape tape = new Tape();
      Map<String, Node> vars = new LinkedHashMap<>();
      for (int i : s.differentiable) {
        vars.put("x" + i, tape.variable("x" + i, s.values[i].copy()));
      }
      Node J = readout(s, s.values, r).apply(vars);
      for (int again = 0; again < (run == 0 ? 2 : 1); again++) {
        Gradients g = tape.backward(J);
        List<double[]> now = new ArrayList<>();
        for (Node v : vars.values()) {
          now.add(g.has(v) ? data(g.get(v)) : new double[v.rows() * v.cols()]);
        }
        if (first == null) {
          first = now;
          continue;
        }
        for (int i = 0; i < now.size(); i++) {
          int cols = s.shapes.get(s.differentiable.get(i)).cols();
          for (int k = 0; k < now.get(i).length; k++) {
            double a = first.get(i)[k];
            double b = now.get(i)[k];
            if (Double.doubleToLongBits(a) != Double.doubleToLongBits(b)) {
              return new Outcome(t, Status.FAILED, (run == 0 ? "two backwards of one graph"
                  : "a backward of the graph recorded anew") + " gave different bits for "
                  + names.get(i) + " at (" + k / cols + ", " + k % cols + "): " + a + " then " + b
                  + ": the gradient depends on more than y, its inputs and g (state kept between"
                  + " calls, a random draw, an order that changes)", null);
            }
          }
        }
      }
    }
    return passed(t, null);
  }

  /**
   * One part's outcome: a one-line summary of a failure or a skip, and the comparison it made
   * against central differences (null for the shape contract, determinism and skipped parts).
   */
  public record Outcome(Part part, Status status, String summary,
      GradientCheck.Report comparison) {

    /** The comparison's full report, or "" when there was none. */
    public String details() {
      return comparison == null ? "" : comparison.toString();
    }

    @Override
    public String toString() {
      return String.format("  %-15s %s", part, switch (status) {
        case PASSED -> "ok";
        case FAILED -> "FAILED: " + summary;
        case SKIPPED -> "skipped: " + summary;
      });
    }
  }

  /** One set of input shapes checked, with the seed its values were drawn from. */
  public record Case(String op, List<Shape> shapes, long seed, List<Outcome> outcomes) {
    /** Keeps unmodifiable copies of the shapes and the outcomes. */
    public Case {
      shapes = List.copyOf(shapes);
      outcomes = List.copyOf(outcomes);
    }

    /** True when no part failed. */
    public boolean passed() {
      return outcomes.stream().noneMatch(o -> o.status() == Status.FAILED);
    }

    /** The outcome of one part of this case. */
    public Outcome outcome(Part part) {
      return outcomes.stream().filter(o -> o.part() == part).findFirst().orElseThrow();
    }

    @Override
    public String toString() {
      List<String> in = new ArrayList<>();
      for (int i = 0; i < shapes.size(); i++) {
        in.add("x" + i + " " + shapes.get(i));
      }
      StringBuilder s = new StringBuilder(op + " on " + String.join(", ", in) + " (seed " + seed
          + "): " + (passed() ? "passed" : "FAILED"));
      outcomes.forEach(o -> s.append('\n').append(o));
      // the first failed comparison in full: the later ones usually repeat it
      outcomes.stream().filter(o -> o.status() == Status.FAILED && !o.details().isEmpty())
          .findFirst().ifPresent(o -> s.append('\n').append(o.part()).append(":\n").append(
              o.details().lines().map(l -> "  " + l).collect(Collectors.joining("\n"))));
      return s.toString();
    }
  }

  /** Every case of one op's check. */
  public record Report(String op, List<Case> cases) {
    /** Keeps an unmodifiable copy of the cases. */
    public Report {
      cases = List.copyOf(cases);
    }

    /** True when every case passed. */
    public boolean passed() {
      return cases.stream().allMatch(Case::passed);
    }

    /** The outcome of a test in the first case that failed it, if any. */
    public Optional<Outcome> failure(Part part) {
      return cases.stream().map(c -> c.outcome(part)).filter(o -> o.status() == Status.FAILED)
          .findFirst();
    }

    /** The outcome of a test in the only case of a report from {@link OpCheck#check}. */
    public Outcome outcome(Part part) {
      if (cases.size() != 1) {
        throw new IllegalArgumentException(String.format(
            "outcome: this report has %s cases; use cases()", cases.size()));
      }
      return cases.get(0).outcome(part);
    }

    /** Throws an {@link AssertionError} (a test failure in JUnit) carrying this report. */
    public Report assertPassed() {
      if (!passed()) {
        throw new AssertionError("op check failed: " + this);
      }
      return this;
    }

    @Override
    public String toString() {
      long failed = cases.stream().filter(c -> !c.passed()).count();
      StringBuilder s = new StringBuilder(failed == 0
          ? op + ": all " + cases.size() + " case" + (cases.size() == 1 ? "" : "s") + " passed"
          : op + ": " + failed + " of " + cases.size() + " case" + (cases.size() == 1 ? "" : "s")
              + " FAILED");
      // failed cases first, in full; passed ones a line each
      cases.stream().filter(c -> !c.passed()).forEach(c -> s.append('\n').append(c));
      cases.stream().filter(Case::passed).forEach(c -> s.append('\n')
          .append(c.toString().lines().findFirst().orElse("")));
      return s.toString();
    }
  }
}
