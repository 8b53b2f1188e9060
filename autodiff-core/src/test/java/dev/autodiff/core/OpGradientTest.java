package dev.autodiff.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autodiff.core.check.GradientCheck;
import dev.autodiff.core.check.OpCheck;
import dev.autodiff.core.kernels.Gemm;
import dev.autodiff.core.kernels.Images;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every op, gradient-checked against central differences in several shapes. One row per op, like
 * the table in the ops package: name, input shapes, input ranges (away from kinks), the function.
 * A non-linear readout (Σ y ⊙ R with a fixed random R) makes every output entry matter differently.
 */
class OpGradientTest {
  static final int[][] SHAPES = {{1, 1}, {1, 4}, {5, 1}, {3, 2}, {2, 3}};
  static double worstRel;
  static double worstSecondOrder;

  @AfterAll
  static void reportWorst() {
    System.out.printf("op table: worst relative gradient error %.2e, second order %.2e%n",
        worstRel, worstSecondOrder);
  }

  record Case(String op, int[][] shapes, double lo, double hi, Function<List<Node>, Node> f) {}

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (int[] s : SHAPES) {
      int m = s[0];
      int n = s[1];
      int[] mn = {m, n};
      int[] nm = {n, m};
      unary(out, mn, "neg", -2, 2, x -> x.neg());
      unary(out, mn, "scale", -2, 2, x -> x.scale(-1.7));
      unary(out, mn, "square", -2, 2, Node::square);
      unary(out, mn, "relu", 0.1, 2, Node::relu);
      unary(out, mn, "relu(neg side)", -2, -0.1, Node::relu);
      unary(out, mn, "sigmoid", -4, 4, Node::sigmoid);
      unary(out, mn, "tanh", -2, 2, Node::tanh);
      unary(out, mn, "exp", -2, 2, Node::exp);
      unary(out, mn, "log", 0.2, 3, Node::log);
      unary(out, mn, "sqrt", 0.2, 3, Node::sqrt);
      unary(out, mn, "transpose", -2, 2, Node::transpose);
      unary(out, mn, "sum", -2, 2, Node::sum);
      unary(out, mn, "sumRows", -2, 2, Node::sumRows);
      unary(out, mn, "sumCols", -2, 2, Node::sumCols);
      unary(out, mn, "mean", -2, 2, Node::mean);
      unary(out, mn, "frobeniusNorm", -2, 2, Node::frobeniusNorm);
      unary(out, mn, "halfSquaredNorm", -2, 2, Node::halfSquaredNorm);
      unary(out, mn, "softmax", -3, 3, Node::softmax);
      unary(out, mn, "logSoftmax", -3, 3, Node::logSoftmax);
      binary(out, "matmul", mn, new int[] {n, 3}, -2, 2, Node::matmul);
      binary(out, "matmulTransB", mn, new int[] {4, n}, -2, 2, Node::matmulTransB);
      binary(out, "matmulTransA", mn, new int[] {m, 3}, -2, 2, Node::matmulTransA);
      unary(out, mn, "shift", -2, 2, x -> x.add(0.75));
      unary(out, mn, "step", -2, 2, x -> x.step().mul(x)); // step's own gradient is 0
      // a mask of fixed signs, never near its kink at 0
      unary(out, mn, "maskedBy", -2, 2, x -> x.maskedBy(x.tape().constant(
          Matrices.uniform(new Random(3), x.rows(), x.cols(), -1, 1))));
      unary(out, new int[] {1, n}, "broadcastTo(rows)", -2, 2, x -> x.broadcastTo(3, n));
      unary(out, new int[] {m, 1}, "broadcastTo(cols)", -2, 2, x -> x.broadcastTo(m, 4));
      unary(out, new int[] {1, 1}, "broadcastTo(both)", -2, 2, x -> x.broadcastTo(m, n));
      // broadcasting: the full operand with itself, a 1×n row, an m×1 column and a 1×1,
      // on either side; and m×1 with 1×n giving m×n
      int[][] partners = {mn, {1, n}, {m, 1}, {1, 1}};
      for (int[] p : partners) {
        binary(out, "add", mn, p, -2, 2, Node::add);
        binary(out, "add", p, mn, -2, 2, Node::add);
        binary(out, "sub", mn, p, -2, 2, Node::sub);
        binary(out, "sub", p, mn, -2, 2, Node::sub);
        binary(out, "mul", mn, p, -2, 2, Node::mul);
        binary(out, "mul", p, mn, -2, 2, Node::mul);
        binary(out, "div", mn, p, 0.5, 2, Node::div);
        binary(out, "div", p, mn, 0.5, 2, Node::div);
        binary(out, "divNoNan", mn, p, 0.5, 2, Node::divNoNan);
        binary(out, "divNoNan", p, mn, 0.5, 2, Node::divNoNan);
      }
      binary(out, "add", new int[] {m, 1}, new int[] {1, n}, -2, 2, Node::add);
      binary(out, "mul", new int[] {1, n}, new int[] {m, 1}, -2, 2, Node::mul);
      unary(out, nm, "transpose∘matmul", -2, 2, x -> x.matmul(x.transpose()));
      elementwise(out, mn);
      reductions(out, mn);
      shapes(out, m, n);
      for (int[] p : partners) {
        binary(out, "max", mn, p, -2, 2, Node::max);
        binary(out, "min", p, mn, -2, 2, Node::min);
        binary(out, "where", mn, p, -2, 2, (a, b) -> Node.where(a.tape().constant(
            mask(new Random(m * 10L + n), m, n)), a, b));
      }
      // one node as both operands: both gradient contributions land in one buffer
      unary(out, new int[] {n, n}, "matmul(x, x)", -2, 2, x -> x.matmul(x));
      unary(out, mn, "matmulTransB(x, x)", -2, 2, x -> x.matmulTransB(x));
    }
    images(out);
    return out.stream();
  }

  /**
   * The rows of ops whose gradient is a deliberate cut rather than the derivative of their forward
   * (detach): central differences see through a cut, so these rows are checked against the
   * gradient the cut defines instead, in {@link #aCutPassesNoGradient}.
   */
  static Stream<Arguments> cuts() {
    List<Arguments> out = new ArrayList<>();
    for (int[] s : SHAPES) {
      unary(out, s, "detach", -2, 2, x -> x.detach().mul(x));
    }
    return out.stream();
  }

  /** J = Σ R ⊙ (detach(x) ⊙ x): ∂J/∂x = R ⊙ x, the detached factor read as a constant. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cuts")
  void aCutPassesNoGradient(Case c) {
    Tape tape = new Tape();
    Random rng = new Random(5);
    DMatrixRMaj x = Matrices.uniform(rng, c.shapes()[0][0], c.shapes()[0][1], c.lo(), c.hi());
    DMatrixRMaj r = Matrices.uniform(rng, x.numRows, x.numCols, -1, 1);
    Node xs = tape.variable("x", x);
    Node y = c.f().apply(List.of(xs));
    assertArrayEquals(CommonOps_DDRM.elementMult(x, x, null).data, y.value().data, 0);
    DMatrixRMaj expected = CommonOps_DDRM.elementMult(r, x, null);
    Node J = y.mul(tape.constant(r)).sum();
    assertArrayEquals(expected.data, tape.backward(J).get(xs).data, 1e-15);
    assertArrayEquals(expected.data, Plan.compile(J, xs).run().get(xs).data, 1e-15, "in a plan");
    // recorded, ∂J/∂x = R ⊙ detach(x) is the same numbers, and the cut holds: x is not on its path
    Node dx = tape.grad(J, xs).get(0);
    assertArrayEquals(expected.data, dx.value().data, 1e-15);
    assertFalse(tape.backward(dx.sum()).has(xs));
  }

  /** A 0/1 mask, both values present where there is room for both. */
  static DMatrixRMaj mask(Random random, int rows, int cols) {
    DMatrixRMaj m = new DMatrixRMaj(rows, cols);
    for (int k = 0; k < m.getNumElements(); k++) {
      m.data[k] = k % 2 == 0 ? 1 : random.nextInt(2);
    }
    return m;
  }

  /** The elementwise ops beyond the first ones, each on ranges away from its kinks and edges. */
  static void elementwise(List<Arguments> out, int[] mn) {
    unary(out, mn, "abs", 0.1, 2, Node::abs);
    unary(out, mn, "abs(neg side)", -2, -0.1, Node::abs);
    unary(out, mn, "sign", 0.1, 2, Node::sign);
    unary(out, mn, "pow(3)", -2, 2, x -> x.pow(3));
    unary(out, mn, "pow(-2)", -2, -0.5, x -> x.pow(-2));
    unary(out, mn, "pow(2.5)", 0.2, 2, x -> x.pow(2.5));
    unary(out, mn, "pow(-0.5)", 0.5, 2, x -> x.pow(-0.5));
    unary(out, mn, "clamp", -2, 2, x -> x.clamp(-0.5, 0.7));
    unary(out, mn, "leakyRelu", 0.1, 2, x -> x.leakyRelu(0.1));
    unary(out, mn, "leakyRelu(neg side)", -2, -0.1, x -> x.leakyRelu(0.1));
    unary(out, mn, "elu", 0.1, 2, x -> x.elu(1.3));
    unary(out, mn, "elu(neg side)", -2, -0.1, x -> x.elu(1.3));
    unary(out, mn, "softplus", -3, 3, Node::softplus);
    unary(out, mn, "erf", -2, 2, Node::erf);
    unary(out, mn, "gelu", -3, 3, Node::gelu);
    unary(out, mn, "geluTanh", -3, 3, Node::geluTanh);
    unary(out, mn, "sin", -3, 3, Node::sin);
    unary(out, mn, "cos", -3, 3, Node::cos);
    unary(out, mn, "reciprocal", 0.5, 2, Node::reciprocal);
    unary(out, mn, "reciprocal(neg side)", -2, -0.5, Node::reciprocal);
    unary(out, mn, "rsqrt", 0.5, 2, Node::rsqrt);
    unary(out, mn, "dropout", -2, 2, x -> x.dropout(0.3, 11));
  }

  /** The reductions along an axis. */
  static void reductions(List<Arguments> out, int[] mn) {
    unary(out, mn, "maxRows", -2, 2, Node::maxRows);
    unary(out, mn, "maxCols", -2, 2, Node::maxCols);
    unary(out, mn, "minRows", -2, 2, Node::minRows);
    unary(out, mn, "minCols", -2, 2, Node::minCols);
    unary(out, mn, "isMaxOfRow", -2, 2, x -> x.extremeMask(true, true));
    unary(out, mn, "logSumExpRows", -3, 3, Node::logSumExpRows);
    unary(out, mn, "logSumExpCols", -3, 3, Node::logSumExpCols);
    unary(out, mn, "meanRows", -2, 2, Node::meanRows);
    unary(out, mn, "meanCols", -2, 2, Node::meanCols);
    unary(out, mn, "varianceRows", -2, 2, Node::varianceRows);
    unary(out, mn, "varianceCols", -2, 2, Node::varianceCols);
  }

  /** Reshaping, slicing, padding, concatenating, gathering and scattering rows. */
  static void shapes(List<Arguments> out, int m, int n) {
    int[] mn = {m, n};
    unary(out, mn, "reshape", -2, 2, x -> x.reshape(n, m));
    unary(out, mn, "reshape(row)", -2, 2, x -> x.reshape(1, m * n));
    unary(out, mn, "sliceRows", -2, 2, x -> x.sliceRows(m / 2, m));
    unary(out, mn, "sliceCols", -2, 2, x -> x.sliceCols(0, (n + 1) / 2));
    unary(out, mn, "padRows", -2, 2, x -> x.padRows(1, 2));
    unary(out, mn, "padCols", -2, 2, x -> x.padCols(2, 0));
    binary(out, "concatRows", mn, new int[] {2, n}, -2, 2, (a, b) -> a.concatRows(b, a));
    binary(out, "concatCols", mn, new int[] {m, 3}, -2, 2, (a, b) -> a.concatCols(b));
    unary(out, mn, "gatherRows", -2, 2, x -> x.gatherRows(m - 1, 0, m - 1));
    unary(out, new int[] {3, n}, "scatterAddRows", -2, 2,
        x -> x.scatterAddRows(new int[] {m, 0, m}, m + 1));
    unary(out, mn, "repeatRows", -2, 2, x -> x.repeatRows(3));
    // ids in a constant node, read when computed: 2×2 ids into the table, a column of 4 back
    unary(out, mn, "gatherRowsAt", -2, 2,
        x -> x.gatherRows(ids(x.tape(), 2, 2, m - 1, 0, 0, m - 1)));
    unary(out, new int[] {4, n}, "scatterAddRowsAt", -2, 2,
        x -> x.scatterAddRows(ids(x.tape(), 4, 1, m, 0, m, 1), m + 1));
  }

  /** A constant rows×cols of ids, as doubles. */
  static Node ids(Tape tape, int rows, int cols, double... ids) {
    return tape.constant("ids", new DMatrixRMaj(rows, cols, true, ids));
  }

  /**
   * Convolutions and pooling over several channels, image sizes, kernels, strides and paddings,
   * with the gradient ops they are differentiated through.
   */
  static void images(List<Arguments> out) {
    int[][] configs = { // C, H, W, kh, kw, stride, padding
        {1, 4, 4, 3, 3, 1, 0}, {2, 4, 5, 3, 3, 1, 1}, {2, 5, 4, 2, 3, 2, 1}, {3, 3, 3, 3, 3, 1, 2}};
    for (int[] c : configs) {
      Image image = new Image(c[0], c[1], c[2]);
      Images.Window w = Images.Window.of(c[0], c[1], c[2], c[3], c[4], c[5], c[6]);
      int batch = 2;
      int filters = 3;
      int[] x = {batch, image.size()};
      int[] k = {filters, c[0] * c[3] * c[4]};
      int[] d = {batch, filters * w.positions()};
      String at = " " + image + " k" + c[3] + "×" + c[4] + " s" + c[5] + " p" + c[6];
      binary(out, "conv2d" + at, x, k, -1, 1,
          (a, b) -> a.conv2d(b, image, c[3], c[4], c[5], c[6]));
      binary(out, "conv2dTranspose" + at, d, k, -1, 1,
          (a, b) -> a.conv2dTranspose(b, image, c[3], c[4], c[5], c[6]));
      binary(out, "conv2dKernelGradient" + at, d, x, -1, 1,
          (a, b) -> a.conv2dKernelGradient(b, w));
    }
    int[][] pools = {{1, 4, 4, 2, 2}, {2, 5, 4, 3, 1}, {3, 6, 6, 3, 3}}; // C, H, W, k, stride
    for (int[] c : pools) {
      Image image = new Image(c[0], c[1], c[2]);
      Images.Window w = Images.Window.of(c[0], c[1], c[2], c[3], c[3], c[4], 0);
      int[] x = {2, image.size()};
      int[] d = {2, c[0] * w.positions()};
      String at = " " + image + " k" + c[3] + " s" + c[4];
      unary(out, x, "maxPool2d" + at, -1, 1, a -> a.maxPool2d(image, c[3], c[4]));
      unary(out, x, "avgPool2d" + at, -1, 1, a -> a.avgPool2d(image, c[3], c[4]));
      unary(out, d, "avgPoolSpread" + at, -1, 1, a -> a.avgPoolSpread(w));
      binary(out, "maxPoolScatter" + at, d, x, -1, 1, (a, b) -> a.maxPoolScatter(b, w));
      binary(out, "maxPoolGather" + at, x, x, -1, 1, (a, b) -> a.maxPoolGather(b, w));
    }
  }

  static void unary(List<Arguments> out, int[] s, String op, double lo, double hi,
      Function<Node, Node> f) {
    add(out, new Case(op, new int[][] {s}, lo, hi, v -> f.apply(v.get(0))));
  }

  static void binary(List<Arguments> out, String op, int[] a, int[] b, double lo, double hi,
      java.util.function.BiFunction<Node, Node, Node> f) {
    add(out, new Case(op, new int[][] {a, b}, lo, hi, v -> f.apply(v.get(0), v.get(1))));
  }

  static void add(List<Arguments> out, Case c) {
    StringBuilder label = new StringBuilder(c.op()).append(' ');
    for (int[] s : c.shapes()) {
      label.append(s[0]).append('×').append(s[1]).append(' ');
    }
    out.add(Arguments.of(Named.of(label.toString().trim(), c)));
  }

  /** The products again, every one of them on OpenBLAS: the fast path passes the same checks. */
  static Stream<Arguments> products() {
    return cases().filter(a -> ((Named<?>) a.get()[0]).getName().contains("matmul"));
  }

  @ParameterizedTest(name = "{0} on OpenBLAS")
  @MethodSource("products")
  void productGradientsOnBlas(Case c) {
    Gemm.Mode old = Gemm.use(Gemm.Mode.BLAS);
    try {
      gradientMatchesCentralDifferences(c);
    } finally {
      Gemm.use(old);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientMatchesCentralDifferences(Case c) {
    GradientCheck.Report report = GradientCheck.defaults().check(readOut(c), inputs(c));
    report.assertPassed();
    synchronized (OpGradientTest.class) {
      worstRel = Math.max(worstRel, report.maxRelError());
    }
    assertTrue(report.maxRelError() < 1e-5, report::toString);
  }

  /**
   * The whole contract of {@link OpCheck} on each case: beyond both orders, one node as several
   * inputs with the output read twice, the op applied twice, its inputs and g left unchanged, and
   * bit-for-bit repeatable gradients.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void opCheckPassesEveryPart(Case c) {
    OpCheck check = OpCheck.of(c.op(), c.shapes().length, c.f());
    Shape[] shapes = new Shape[c.shapes().length];
    for (int i = 0; i < shapes.length; i++) {
      check.range(i, c.lo(), c.hi());
      shapes[i] = new Shape(c.shapes()[i][0], c.shapes()[i][1]);
    }
    check.check(shapes).assertPassed();
  }

  /**
   * Second order: the gradient of ⟨∇J, R⟩, taken through the recorded backward (whose nodes are
   * the ops' vector-Jacobian products), against central differences of the first-order gradient.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void secondOrderMatchesCentralDifferencesOfTheGradient(Case c) {
    GradientCheck.Report report = GradientCheck.defaults().checkSecondOrder(readOut(c),
        inputs(c));
    report.assertPassed();
    synchronized (OpGradientTest.class) {
      worstSecondOrder = Math.max(worstSecondOrder, report.maxRelError());
    }
    assertTrue(report.maxRelError() < 1e-4, report::toString);
  }

  /**
   * No op turns a NaN into a number: a NaN in any entry of any input reaches J, whichever entry
   * of the output it lands in, or is refused by name by an op whose domain excludes it (log, sqrt).
   */
  /**
   * The ops that select some entries of an input and leave the others unread, where a NaN in an
   * entry not read cannot reach the output: slices, where, and the masks and places that route
   * gradients (the max itself is NaN, and so is the max of a window).
   */
  static final List<String> SELECTIONS = List.of("sliceRows", "sliceCols", "where", "isMaxOfRow",
      "maxPoolScatter", "maxPoolGather");

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aNaNInAnInputReachesTheOutput(Case c) {
    if (SELECTIONS.stream().anyMatch(c.op()::startsWith)) {
      return;
    }
    for (int i = 0; i < c.shapes().length; i++) {
      for (int k : new int[] {0, c.shapes()[i][0] * c.shapes()[i][1] - 1}) {
        DMatrixRMaj[] x = inputs(c);
        x[i].data[k] = Double.NaN;
        Tape tape = new Tape();
        List<Node> vars = new ArrayList<>();
        for (DMatrixRMaj m : x) {
          vars.add(tape.variable("x", m));
        }
        double J;
        try {
          J = readOut(c).apply(vars).scalar();
        } catch (ArithmeticException e) {
          assertTrue(e.getMessage().contains(" has NaN at "), e::getMessage);
          continue;
        }
        assertTrue(Double.isNaN(J), c.op() + ": a NaN at entry " + k + " of input " + i
            + " gave J = " + J);
      }
    }
  }

  static DMatrixRMaj[] inputs(Case c) {
    Random rng = new Random(c.op().hashCode() * 31L + c.shapes()[0][0] * 7L + c.shapes()[0][1]);
    DMatrixRMaj[] inputs = new DMatrixRMaj[c.shapes().length];
    for (int i = 0; i < inputs.length; i++) {
      inputs[i] = Matrices.uniform(rng, c.shapes()[i][0], c.shapes()[i][1], c.lo(), c.hi());
    }
    return inputs;
  }

  /** J = Σ y ⊙ R with a fixed random R shaped like y, so every entry of y weighs differently. */
  static Function<List<Node>, Node> readOut(Case c) {
    DMatrixRMaj[] readout = new DMatrixRMaj[1];
    return v -> {
      Node y = c.f().apply(v);
      if (readout[0] == null) {
        readout[0] = Matrices.uniform(new Random(7), y.rows(), y.cols(), -1, 1);
      }
      return y.mul(y.tape().constant("R", readout[0])).sum();
    };
  }
}
