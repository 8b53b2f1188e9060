package dev.autodiff.core;


import dev.autodiff.core.kernels.Images;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.DoubleStream;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.NormOps_DDRM;

/**
 * A random expression graph drawn from a seed: 1 to 3 variables of shapes up to 3×3, then up to
 * {@value #MAX_STEPS} ops over every built-in op and two custom ones, with random shapes that fit,
 * every broadcast form, constants, fan-out (an input reused, or one node as both operands) and a
 * depth of at most {@value #MAX_DEPTH}. J = Σ over the nodes nothing consumed of Σ node ⊙ R, with a
 * random R per node, so every op reaches J.
 *
 * <p>The ops are chosen at the drawn inputs so that central differences are meaningful there:
 * relu only where every entry is at least {@value #KINK} from 0, log and sqrt where every entry is
 * at least {@value #KINK} above 0, div where every divisor is at least {@value #KINK} from 0,
 * frobeniusNorm of a norm at least {@value #KINK}, and no node with an entry beyond ±{@value #MAX}.
 * The choices are recorded as steps and replayed on each tape of the gradient check, so a
 * perturbation of ε cannot change them.
 */
final class RandomGraph {
  static final int MAX_STEPS = 30;
  static final int MAX_DEPTH = 20;
  static final double KINK = 0.05;
  static final double MAX = 10;

  /** Every op the graphs use, built-in and custom. */
  enum Kind {
    MATMUL, MATMUL_TRANS_A, MATMUL_TRANS_B, ADD, SUB, MUL, DIV, DIV_NO_NAN, MASKED_BY, MAX, MIN,
    WHERE, SCALE, SHIFT, NEG, SQUARE, RELU, STEP, SIGMOID, TANH, EXP, LOG, SQRT, ABS, SIGN, POW,
    CLAMP, LEAKY_RELU, ELU, SOFTPLUS, ERF, GELU, GELU_TANH, SIN, COS, RECIPROCAL, RSQRT, DROPOUT,
    TRANSPOSE, SUM, MEAN, SUM_ROWS, SUM_COLS, BROADCAST_TO, MAX_ROWS, MAX_COLS, MIN_ROWS, MIN_COLS,
    LOG_SUM_EXP_ROWS, LOG_SUM_EXP_COLS, MEAN_ROWS, MEAN_COLS, VARIANCE_ROWS, VARIANCE_COLS,
    RESHAPE, SLICE_ROWS, SLICE_COLS, PAD_ROWS, PAD_COLS, CONCAT_ROWS, CONCAT_COLS, GATHER_ROWS,
    SCATTER_ADD_ROWS, REPEAT_ROWS, CONV2D, MAX_POOL, AVG_POOL, FROBENIUS_NORM, HALF_SQUARED_NORM,
    SOFTMAX, LOG_SOFTMAX, CUSTOM_SOFTPLUS, GATE, CONSTANT
  }

  /**
   * One recorded op: its kind, the indices of its inputs among the earlier nodes, a number, a
   * constant matrix and whole numbers as the kind needs them (a scale, a mask, ids, a size).
   */
  record Step(Kind kind, int a, int b, double alpha, DMatrixRMaj constant, int[] ints) {
    Step(Kind kind, int a, int b, double alpha, DMatrixRMaj constant) {
      this(kind, a, b, alpha, constant, null);
    }
  }

  final long seed;
  final List<DMatrixRMaj> inputs = new ArrayList<>();
  final List<Step> steps = new ArrayList<>();
  final List<DMatrixRMaj> readouts = new ArrayList<>();
  /** The nodes J reads, by index. */
  final List<Integer> sinks = new ArrayList<>();
  int depth;
  /** Binary ops whose operands differ in shape (broadcast or matrix product), and fan-outs. */
  int broadcasts;
  int sameOperand;

  private RandomGraph(long seed) {
    this.seed = seed;
  }

  /**
   * y = x ⊙ σ(g), a two-input custom op (a gated unit; SiLU when x and g are one node), its
   * forward as matrix code and its gradient in Node operations: differentiable twice.
   */
  static final Op GATE = new Op() {
    @Override
    public String name() {
      return "gate";
    }

    @Override
    public DMatrixRMaj forward(Node... x) {
      Shapes.requireSame("gate", x[0], x[1]);
      DMatrixRMaj a = x[0].value();
      DMatrixRMaj g = x[1].value();
      DMatrixRMaj y = new DMatrixRMaj(a.numRows, a.numCols);
      for (int k = 0; k < y.getNumElements(); k++) {
        y.data[k] = a.data[k] / (1 + Math.exp(-g.data[k]));
      }
      return y;
    }

    @Override
    public Node vjp(int i, Node y, Node g) {
      Node s = y.input(1).sigmoid();
      // x ← g ⊙ σ(g) ;  g ← g ⊙ x ⊙ σ(g)(1 − σ(g))
      return i == 0 ? g.mul(s) : g.mul(y.input(0)).mul(s.mul(s.neg().add(1)));
    }
  };

  /** softplus, its gradient as matrix code: differentiable once. */
  static final Op SOFTPLUS = new CustomOpTest.Softplus(1);

  /** Draws a graph from the seed. */
  static RandomGraph draw(long seed) {
    RandomGraph graph = new RandomGraph(seed);
    new Drawing(graph, new Random(seed)).run();
    return graph;
  }

  /** J built from the variables on their tape; the function the gradient check differentiates. */
  Node evaluate(List<Node> vars) {
    Tape tape = vars.get(0).tape();
    List<Node> nodes = new ArrayList<>(vars);
    for (Step s : steps) {
      nodes.add(apply(tape, s, nodes));
    }
    Node J = null;
    for (int i = 0; i < sinks.size(); i++) {
      Node r = tape.constant("R" + i, readouts.get(i));
      Node term = nodes.get(sinks.get(i)).mul(r).sum();
      J = J == null ? term : J.add(term);
    }
    return J;
  }

  static Node apply(Tape tape, Step s, List<Node> nodes) {
    Node a = s.a() < 0 ? null : nodes.get(s.a());
    Node b = s.b() < 0 ? null : nodes.get(s.b());
    return switch (s.kind()) {
      case MATMUL -> a.matmul(b);
      case MATMUL_TRANS_A -> a.matmulTransA(b);
      case MAX -> a.max(b);
      case MIN -> a.min(b);
      case WHERE -> Node.where(tape.constant(s.constant()), a, b);
      case ABS -> a.abs();
      case SIGN -> a.sign();
      case POW -> a.pow(s.alpha());
      case CLAMP -> a.clamp(-s.alpha(), s.alpha());
      case LEAKY_RELU -> a.leakyRelu(s.alpha());
      case ELU -> a.elu(s.alpha());
      case SOFTPLUS -> a.softplus();
      case ERF -> a.erf();
      case GELU -> a.gelu();
      case GELU_TANH -> a.geluTanh();
      case SIN -> a.sin();
      case COS -> a.cos();
      case RECIPROCAL -> a.reciprocal();
      case RSQRT -> a.rsqrt();
      case DROPOUT -> a.dropout(0.25, s.ints()[0]);
      case MAX_ROWS -> a.maxRows();
      case MAX_COLS -> a.maxCols();
      case MIN_ROWS -> a.minRows();
      case MIN_COLS -> a.minCols();
      case LOG_SUM_EXP_ROWS -> a.logSumExpRows();
      case LOG_SUM_EXP_COLS -> a.logSumExpCols();
      case MEAN_ROWS -> a.meanRows();
      case MEAN_COLS -> a.meanCols();
      case VARIANCE_ROWS -> a.varianceRows();
      case VARIANCE_COLS -> a.varianceCols();
      case RESHAPE -> a.reshape(s.ints()[0], s.ints()[1]);
      case SLICE_ROWS -> a.sliceRows(s.ints()[0], s.ints()[1]);
      case SLICE_COLS -> a.sliceCols(s.ints()[0], s.ints()[1]);
      case PAD_ROWS -> a.padRows(s.ints()[0], s.ints()[1]);
      case PAD_COLS -> a.padCols(s.ints()[0], s.ints()[1]);
      case CONCAT_ROWS -> a.concatRows(b);
      case CONCAT_COLS -> a.concatCols(b);
      case GATHER_ROWS -> a.gatherRows(s.ints());
      case SCATTER_ADD_ROWS -> a.scatterAddRows(s.ints(), a.rows() + 1);
      case REPEAT_ROWS -> a.repeatRows(2);
      // each row a 1×1×c image, each row of b a 1×kw kernel
      case CONV2D -> a.conv2d(b, new Image(1, 1, a.cols()), 1, b.cols(), 1, 0);
      case MAX_POOL -> a.maxPool2d(Images.Window.of(1, 1, a.cols(), 1, 2, 1, 0));
      case AVG_POOL -> a.avgPool2d(Images.Window.of(1, 1, a.cols(), 1, 2, 1, 0));
      case MATMUL_TRANS_B -> a.matmulTransB(b);
      case ADD -> a.add(b);
      case SUB -> a.sub(b);
      case MUL -> a.mul(b);
      case DIV -> a.div(b);
      case DIV_NO_NAN -> a.divNoNan(b);
      case MASKED_BY -> a.maskedBy(b);
      case SCALE -> a.scale(s.alpha());
      case SHIFT -> a.add(s.alpha());
      case NEG -> a.neg();
      case SQUARE -> a.square();
      case RELU -> a.relu();
      case STEP -> a.step();
      case SIGMOID -> a.sigmoid();
      case TANH -> a.tanh();
      case EXP -> a.exp();
      case LOG -> a.log();
      case SQRT -> a.sqrt();
      case TRANSPOSE -> a.transpose();
      case SUM -> a.sum();
      case MEAN -> a.mean();
      case SUM_ROWS -> a.sumRows();
      case SUM_COLS -> a.sumCols();
      // a row to 3 rows, a column to 3 columns, a scalar to 2×3; wider nodes stay as they are
      case BROADCAST_TO -> a.broadcastTo(a.rows() == 1 ? 3 : a.rows(), a.cols() == 1 ? 3 : a.cols());
      case FROBENIUS_NORM -> a.frobeniusNorm();
      case HALF_SQUARED_NORM -> a.halfSquaredNorm();
      case SOFTMAX -> a.softmax();
      case LOG_SOFTMAX -> a.logSoftmax();
      case CUSTOM_SOFTPLUS -> a.apply(SOFTPLUS);
      case GATE -> a.apply(GATE, b);
      case CONSTANT -> tape.constant(s.constant());
    };
  }

  /** The graph as one line per node, e.g. {@code n5:2×3 = add(n3, n4)}. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("seed " + seed + ", depth " + depth + "\n");
    for (int i = 0; i < inputs.size(); i++) {
      s.append("x").append(i).append(':').append(shape(inputs.get(i))).append(" variable\n");
    }
    Tape tape = new Tape();
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      nodes.add(tape.variable("x" + i, inputs.get(i)));
    }
    for (Step st : steps) {
      Node n = apply(tape, st, nodes);
      nodes.add(n);
      s.append(n.name()).append(':').append(shape(n.value())).append(" = ").append(
          st.kind() == Kind.CONSTANT ? "constant" : st.kind() == Kind.SCALE ? "scale"
              : st.kind() == Kind.SHIFT ? "shift" : n.op().name());
      if (st.kind() != Kind.CONSTANT) {
        s.append('(').append(nodes.get(st.a()).name());
        if (st.b() >= 0) {
          s.append(", ").append(nodes.get(st.b()).name());
        }
        s.append(st.kind() == Kind.SCALE || st.kind() == Kind.SHIFT ? ", " + st.alpha() : "")
            .append(')');
      }
      s.append('\n');
    }
    s.append("J = Σ of ");
    sinks.forEach(i -> s.append(nodes.get(i).name()).append(' '));
    return s.toString().trim();
  }

  private static String shape(DMatrixRMaj m) {
    return Shapes.of(m.numRows, m.numCols);
  }

  /** The drawing: it records the nodes on a scratch tape to look at their values. */
  private static final class Drawing {
    final RandomGraph graph;
    final Random rng;
    final Tape tape = new Tape();
    final List<Node> nodes = new ArrayList<>();
    final List<Integer> depths = new ArrayList<>();
    final List<Integer> uses = new ArrayList<>();

    Drawing(RandomGraph graph, Random rng) {
      this.graph = graph;
      this.rng = rng;
    }

    void run() {
      int vars = 1 + rng.nextInt(3);
      for (int i = 0; i < vars; i++) {
        DMatrixRMaj x = Matrices.uniform(rng, 1 + rng.nextInt(3), 1 + rng.nextInt(3), -2, 2);
        graph.inputs.add(x);
        add(tape.variable("x" + i, x), 0);
      }
      int target = 1 + rng.nextInt(MAX_STEPS);
      Kind[] kinds = Kind.values();
      for (int tries = 0; graph.steps.size() < target && tries < 20 * MAX_STEPS; tries++) {
        tryStep(kinds[rng.nextInt(kinds.length)]);
      }
      if (graph.steps.isEmpty() || onlyConstants()) {
        tryStep(Kind.NEG); // a variable's negation always fits
      }
      for (int i = vars; i < nodes.size(); i++) {
        Node n = nodes.get(i);
        if (uses.get(i) == 0 && n.kind() == Node.Kind.OP) {
          graph.sinks.add(i);
          graph.readouts.add(Matrices.uniform(rng, n.rows(), n.cols(), -1, 1));
        }
      }
      for (int d : depths) {
        graph.depth = Math.max(graph.depth, d);
      }
    }

    boolean onlyConstants() {
      return graph.steps.stream().allMatch(s -> s.kind() == Kind.CONSTANT);
    }

    void add(Node n, int depth) {
      nodes.add(n);
      depths.add(depth);
      uses.add(0);
    }

    /** An input: the newest node 3 times in 4 (for depth), else any node with room left. */
    int pick() {
      int last = nodes.size() - 1;
      if (rng.nextInt(4) > 0 && depths.get(last) < MAX_DEPTH) {
        return last;
      }
      for (int t = 0; t < 10; t++) {
        int i = rng.nextInt(nodes.size());
        if (depths.get(i) < MAX_DEPTH) {
          return i;
        }
      }
      return -1;
    }

    /** A second input fitting the first, or -1; the first itself is a candidate (fan-out). */
    int partner(int a, Kind kind) {
      Node x = nodes.get(a);
      List<Integer> fits = new ArrayList<>();
      for (int i = 0; i < nodes.size(); i++) {
        Node y = nodes.get(i);
        if (depths.get(i) >= MAX_DEPTH) {
          continue;
        }
        boolean ok = switch (kind) {
          case MATMUL -> x.cols() == y.rows();
          case MATMUL_TRANS_A -> x.rows() == y.rows();
          case MATMUL_TRANS_B -> x.cols() == y.cols();
          case GATE, MASKED_BY -> x.rows() == y.rows() && x.cols() == y.cols();
          case CONCAT_ROWS -> x.cols() == y.cols();
          case CONCAT_COLS -> x.rows() == y.rows();
          case CONV2D -> y.cols() <= x.cols();
          // a and b must broadcast to the mask's shape, x's
          case WHERE -> fits(x.rows(), y.rows()) && fits(x.cols(), y.cols())
              && y.rows() <= x.rows() && y.cols() <= x.cols();
          case MAX, MIN -> fits(x.rows(), y.rows()) && fits(x.cols(), y.cols())
              && apart(x.value(), y.value());
          default -> fits(x.rows(), y.rows()) && fits(x.cols(), y.cols());
        };
        // a divisor, and a mask, are kept away from 0: its kink, where the value jumps
        boolean awayFromZero = kind != Kind.DIV && kind != Kind.DIV_NO_NAN
            && kind != Kind.MASKED_BY || minAbs(y.value()) >= KINK;
        if (ok && awayFromZero) {
          fits.add(i);
        }
      }
      return fits.isEmpty() ? -1 : fits.get(rng.nextInt(fits.size()));
    }

    static boolean fits(int p, int q) {
      return p == q || p == 1 || q == 1;
    }

    void tryStep(Kind kind) {
      if (kind == Kind.CONSTANT) {
        // a leaf of a shape that broadcasts against some node, to meet the binary ops
        Node x = nodes.get(rng.nextInt(nodes.size()));
        int rows = rng.nextBoolean() ? x.rows() : 1;
        int cols = rng.nextBoolean() ? x.cols() : 1;
        record(new Step(kind, -1, -1, 0, Matrices.uniform(rng, rows, cols, 0.5, 1.5)));
        return;
      }
      int a = pick();
      if (a < 0) {
        return;
      }
      boolean binary = switch (kind) {
        case MATMUL, MATMUL_TRANS_A, MATMUL_TRANS_B, ADD, SUB, MUL, DIV, DIV_NO_NAN, MASKED_BY,
            MAX, MIN, WHERE, CONCAT_ROWS, CONCAT_COLS, CONV2D, GATE -> true;
        default -> false;
      };
      int b = binary ? partner(a, kind) : -1;
      if (binary && b < 0) {
        return;
      }
      DMatrixRMaj x = nodes.get(a).value();
      double alpha = switch (kind) {
        case SCALE, SHIFT -> Math.round((rng.nextDouble() * 4 - 2) * 100) / 100.0;
        case POW -> new double[] {2, 3, -1, 0.5}[rng.nextInt(4)];
        case CLAMP -> 0.5 + rng.nextInt(3) * 0.25;
        case LEAKY_RELU -> 0.1;
        case ELU -> 1.5;
        default -> 0;
      };
      boolean ok = switch (kind) {
        case RELU, STEP, ABS, SIGN, LEAKY_RELU, ELU -> minAbs(x) >= KINK;
        case RECIPROCAL -> minAbs(x) >= 0.2;
        case RSQRT -> min(x) >= 0.2;
        case POW -> alpha == -1 ? minAbs(x) >= 0.2 : alpha != 0.5 || min(x) >= 0.2;
        case CLAMP -> minAbs(x, -alpha) >= KINK && minAbs(x, alpha) >= KINK;
        case MAX_ROWS, MIN_ROWS -> distinct(x, true);
        case MAX_COLS, MIN_COLS -> distinct(x, false);
        case MAX_POOL -> x.numCols >= 2 && distinct(x, true);
        case AVG_POOL -> x.numCols >= 2;
        case SLICE_ROWS, PAD_ROWS, SCATTER_ADD_ROWS, GATHER_ROWS, RESHAPE, REPEAT_ROWS, SLICE_COLS,
            PAD_COLS, DROPOUT -> true;
        case BROADCAST_TO -> x.numRows == 1 || x.numCols == 1; // else it is the node itself
        case LOG, SQRT -> min(x) >= KINK;
        case FROBENIUS_NORM -> NormOps_DDRM.normF(x) >= KINK;
        default -> true;
      };
      if (ok) {
        DMatrixRMaj constant = kind == Kind.WHERE ? mask(x.numRows, x.numCols) : null;
        record(new Step(kind, a, b, alpha, constant, ints(kind, x)));
      }
    }

    /** The whole numbers a kind needs for an input shaped like x, drawn; null for none. */
    int[] ints(Kind kind, DMatrixRMaj x) {
      int rows = x.numRows;
      int cols = x.numCols;
      return switch (kind) {
        case RESHAPE -> rng.nextBoolean() ? new int[] {cols, rows} : new int[] {1, rows * cols};
        case SLICE_ROWS -> range(rows);
        case SLICE_COLS -> range(cols);
        case PAD_ROWS, PAD_COLS -> new int[] {rng.nextInt(2), 1 + rng.nextInt(2)};
        case GATHER_ROWS -> new int[] {rng.nextInt(rows), rng.nextInt(rows), rng.nextInt(rows)};
        case SCATTER_ADD_ROWS -> ids(rows, rows + 1);
        case DROPOUT -> new int[] {rng.nextInt(1000)};
        default -> null;
      };
    }

    /** [from, to) within size, not empty. */
    int[] range(int size) {
      int from = rng.nextInt(size);
      return new int[] {from, from + 1 + rng.nextInt(size - from)};
    }

    /** n ids below bound. */
    int[] ids(int n, int bound) {
      int[] ids = new int[n];
      for (int i = 0; i < n; i++) {
        ids[i] = rng.nextInt(bound);
      }
      return ids;
    }

    /** A 0/1 mask with both values where there is room for both. */
    DMatrixRMaj mask(int rows, int cols) {
      DMatrixRMaj m = new DMatrixRMaj(rows, cols);
      for (int k = 0; k < m.getNumElements(); k++) {
        m.data[k] = k % 2 == 0 ? 1 : rng.nextInt(2);
      }
      return m;
    }

    /** Records the step if its node stays within ±MAX; otherwise drops it. */
    void record(Step s) {
      Node n = apply(tape, s, nodes);
      if (maxAbs(n.value()) > MAX) {
        return;
      }
      int depth = 0;
      for (int i : new int[] {s.a(), s.b()}) {
        if (i >= 0) {
          depth = Math.max(depth, depths.get(i) + 1);
          uses.set(i, uses.get(i) + 1);
        }
      }
      graph.steps.add(s);
      if (s.b() >= 0) {
        Node a = nodes.get(s.a());
        Node b = nodes.get(s.b());
        graph.sameOperand += s.a() == s.b() ? 1 : 0;
        graph.broadcasts += s.kind() != Kind.MATMUL && s.kind() != Kind.MATMUL_TRANS_A
            && s.kind() != Kind.MATMUL_TRANS_B
            && (a.rows() != b.rows() || a.cols() != b.cols()) ? 1 : 0;
      }
      add(n, depth);
    }

    static double minAbs(DMatrixRMaj m) {
      return entries(m).map(Math::abs).min().orElseThrow();
    }

    /** The smallest distance of an entry of m from c: a kink of clamp at c. */
    static double minAbs(DMatrixRMaj m, double c) {
      return entries(m).map(v -> Math.abs(v - c)).min().orElseThrow();
    }

    /** Every two entries of a row (or column) at least KINK apart: no tie for its max or min. */
    static boolean distinct(DMatrixRMaj m, boolean rows) {
      int outer = rows ? m.numRows : m.numCols;
      int inner = rows ? m.numCols : m.numRows;
      for (int o = 0; o < outer; o++) {
        for (int i = 0; i < inner; i++) {
          for (int j = i + 1; j < inner; j++) {
            double p = rows ? m.get(o, i) : m.get(i, o);
            double q = rows ? m.get(o, j) : m.get(j, o);
            if (Math.abs(p - q) < KINK) {
              return false;
            }
          }
        }
      }
      return true;
    }

    /** Every pair of entries of a and b that meet under broadcasting at least KINK apart. */
    static boolean apart(DMatrixRMaj a, DMatrixRMaj b) {
      int rows = Math.max(a.numRows, b.numRows);
      int cols = Math.max(a.numCols, b.numCols);
      for (int i = 0; i < rows; i++) {
        for (int j = 0; j < cols; j++) {
          double p = a.get(a.numRows == 1 ? 0 : i, a.numCols == 1 ? 0 : j);
          double q = b.get(b.numRows == 1 ? 0 : i, b.numCols == 1 ? 0 : j);
          if (Math.abs(p - q) < KINK) {
            return false;
          }
        }
      }
      return true;
    }

    static double min(DMatrixRMaj m) {
      return entries(m).min().orElseThrow();
    }

    static double maxAbs(DMatrixRMaj m) {
      return entries(m).map(Math::abs).max().orElseThrow();
    }

    static DoubleStream entries(DMatrixRMaj m) {
      return Arrays.stream(m.data, 0, m.getNumElements());
    }
  }
}
