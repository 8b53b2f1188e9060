package dev.autodiff.core.check;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autodiff.core.Node;
import dev.autodiff.core.Op;
import dev.autodiff.core.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import org.ejml.data.DMatrixRMaj;

/**
 * No false failure: {@link OpCheck} passes every part on 10,000 random correct cases, each named by
 * a seed that draws an op (built-in or custom, of one to three ops), its shapes (1 to 4 each way),
 * the loss's scale (10⁻⁸ to 10⁸) and what is compared (every element, sampled elements or random
 * directions). They take some 7 s; on their own:
 *
 * <pre>
 * mvn -B -o -pl autodiff-core -am test -Dtest=NoFalseFailureTest \
 *     -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * <p>A failing case is reported with its seed. The catalogue of wrong gradients ({@link
 * WrongGradientsTest}) is the other half: the same checks fail where they should.
 */
class NoFalseFailureTest {
  static final Stats STATS = new Stats();

  /** An op of the table: its name, arity, input shapes from a base m×n, and the function. */
  record Row(String name, int arity, Function<Shape, List<Shape>> shapes,
      Function<List<Node>, Node> f) {}

  static final List<Row> ROWS = rows();

  @Property(tries = 10_000, shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
  void everyCorrectOpPassesEveryPart(@ForAll("seeds") long seed) {
    Random random = new Random(seed);
    Row row = ROWS.get(random.nextInt(ROWS.size()));
    Shape base = new Shape(1 + random.nextInt(4), 1 + random.nextInt(4));
    double scale = Math.pow(10, -8 + 16 * random.nextDouble());
    GradientCheck settings = switch (random.nextInt(3)) {
      case 0 -> GradientCheck.defaults();
      case 1 -> GradientCheck.defaults().sampled(1 + random.nextInt(4), random.nextLong());
      default -> GradientCheck.defaults().directions(1 + random.nextInt(3), random.nextLong());
    };
    OpCheck.Report r = OpCheck.of(row.name(), row.arity(), v -> row.f().apply(v).scale(scale))
        .seed(random.nextLong()).gradientCheck(settings)
        .check(row.shapes().apply(base).toArray(new Shape[0]));
    STATS.add(r, seed);
    assertTrue(r.passed(), () -> "seed " + seed + ", loss scaled by " + scale + ": " + r);
  }

  @Provide
  Arbitrary<Long> seeds() {
    return Arbitraries.longs().withDistribution(RandomDistribution.uniform());
  }

  @AfterContainer
  static void report() {
    System.out.println(STATS);
  }

  private static List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    unary(rows, "neg", Node::neg);
    unary(rows, "scale", x -> x.scale(-1.7));
    unary(rows, "shift", x -> x.add(0.75));
    unary(rows, "square", Node::square);
    unary(rows, "relu", Node::relu);
    unary(rows, "step", x -> x.step().mul(x));
    unary(rows, "sigmoid", Node::sigmoid);
    unary(rows, "tanh", Node::tanh);
    unary(rows, "exp", Node::exp);
    unary(rows, "log", Node::log);
    unary(rows, "sqrt", Node::sqrt);
    unary(rows, "transpose", Node::transpose);
    unary(rows, "sum", Node::sum);
    unary(rows, "sumRows", Node::sumRows);
    unary(rows, "sumCols", Node::sumCols);
    unary(rows, "mean", Node::mean);
    unary(rows, "frobeniusNorm", Node::frobeniusNorm);
    unary(rows, "halfSquaredNorm", Node::halfSquaredNorm);
    unary(rows, "softmax", Node::softmax);
    unary(rows, "logSoftmax", Node::logSoftmax);
    unary(rows, "broadcastTo", x -> x.sumRows().broadcastTo(x.rows(), 3));
    unary(rows, "x·xᵀ", x -> x.matmul(x.transpose()));
    unary(rows, "Σ tanh(x) ⊙ x", x -> x.tanh().mul(x).sum());
    unary(rows, "softplus (vjp)", x -> x.apply(new Softplus()));
    unary(rows, "softplus (matrix code)", x -> x.apply(new SoftplusMatrixCode()));
    rows.add(new Row("matmul(x, x)", 1, s -> List.of(new Shape(s.rows(), s.rows())),
        v -> v.get(0).matmul(v.get(0))));
    // broadcasting: the same shape, a row, a column and a 1×1 as partner, on either side
    List<Function<Shape, Shape>> partners = List.of(s -> s, s -> new Shape(1, s.cols()),
        s -> new Shape(s.rows(), 1), s -> new Shape(1, 1));
    for (Function<Shape, Shape> p : partners) {
      broadcasting(rows, p, "add", Node::add);
      broadcasting(rows, p, "sub", Node::sub);
      broadcasting(rows, p, "mul", Node::mul);
      broadcasting(rows, p, "div", Node::div);
      broadcasting(rows, p, "divNoNan", Node::divNoNan);
    }
    binary(rows, "matmul", s -> new Shape(s.cols(), 3), Node::matmul);
    binary(rows, "matmulTransA", s -> new Shape(s.rows(), 2), Node::matmulTransA);
    binary(rows, "matmulTransB", s -> new Shape(4, s.cols()), Node::matmulTransB);
    binary(rows, "maskedBy", s -> s, Node::maskedBy);
    binary(rows, "mul (matrix code)", s -> s, (a, b) -> a.apply(new MulMatrixCode(), b));
    rows.add(new Row("tanh(x·W + b)", 3,
        s -> List.of(s, new Shape(s.cols(), 2), new Shape(1, 1)),
        v -> v.get(0).matmul(v.get(1)).add(v.get(2)).tanh()));
    return List.copyOf(rows);
  }

  private static void unary(List<Row> rows, String name, UnaryOperator<Node> f) {
    rows.add(new Row(name, 1, List::of, v -> f.apply(v.get(0))));
  }

  private static void binary(List<Row> rows, String name, UnaryOperator<Shape> second,
      BinaryOperator<Node> f) {
    rows.add(new Row(name, 2, s -> List.of(s, second.apply(s)), v -> f.apply(v.get(0),
        v.get(1))));
  }

  private static void broadcasting(List<Row> rows, Function<Shape, Shape> partner, String name,
      BinaryOperator<Node> f) {
    rows.add(new Row(name, 2, s -> List.of(s, partner.apply(s)),
        v -> f.apply(v.get(0), v.get(1))));
    rows.add(new Row(name, 2, s -> List.of(partner.apply(s), s),
        v -> f.apply(v.get(0), v.get(1))));
  }

  /** softplus(x) = log(1 + eˣ), its gradient g ⊙ σ(x) in Node operations. */
  static final class Softplus implements Op {
    @Override
    public String name() {
      return "softplus";
    }

    @Override
    public DMatrixRMaj forward(Node... x) {
      return WrongGradientsTest.map(x[0].value(),
          v -> Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v))));
    }

    @Override
    public Node vjp(int i, Node y, Node g) {
      return g.mul(y.input(0).sigmoid());
    }
  }

  /** The same softplus with its gradient as matrix code: differentiable once. */
  static final class SoftplusMatrixCode implements Op {
    @Override
    public String name() {
      return "softplus";
    }

    @Override
    public DMatrixRMaj forward(Node... x) {
      return new Softplus().forward(x);
    }

    @Override
    public void backward(DMatrixRMaj g, DMatrixRMaj y, Node[] x, DMatrixRMaj[] gx) {
      double[] a = x[0].value().data;
      for (int k = 0; k < g.getNumElements(); k++) {
        gx[0].data[k] += g.data[k] / (1 + Math.exp(-a[k]));
      }
    }
  }

  /** a ⊙ b as matrix code, adding into each buffer asked for: right for a shared input too. */
  static final class MulMatrixCode implements Op {
    @Override
    public String name() {
      return "mul";
    }

    @Override
    public DMatrixRMaj forward(Node... x) {
      return WrongGradientsTest.mul(x[0].value(), x[1].value());
    }

    @Override
    public void backward(DMatrixRMaj g, DMatrixRMaj y, Node[] x, DMatrixRMaj[] gx) {
      for (int i = 0; i < 2; i++) {
        if (gx[i] != null) {
          double[] other = x[1 - i].value().data;
          for (int k = 0; k < g.getNumElements(); k++) {
            gx[i].data[k] += g.data[k] * other[k];
          }
        }
      }
    }
  }

  /** Cases and parts run, and how close the closest call came. */
  static final class Stats {
    int cases;
    int skipped;
    double worstShare;
    long worstSeed;

    synchronized void add(OpCheck.Report r, long seed) {
      cases++;
      for (OpCheck.Case c : r.cases()) {
        for (OpCheck.Outcome o : c.outcomes()) {
          skipped += o.status() == OpCheck.Status.SKIPPED ? 1 : 0;
          if (o.comparison() == null) {
            continue;
          }
          GradientCheck.Report g = o.comparison();
          for (GradientCheck.Result x : g.results()) {
            // the worst value's error as a share of what the tolerance allows it
            double size = Math.max(Math.abs(x.analytic()), Math.abs(x.numeric()));
            double share = Math.abs(x.analytic() - x.numeric()) / (g.absTol() + g.relTol() * size);
            if (share > worstShare) {
              worstShare = share;
              worstSeed = seed;
            }
          }
        }
      }
    }

    @Override
    public synchronized String toString() {
      return String.format("op checks: %d random correct cases, %d parts skipped (second order of"
          + " matrix code, no shared shape); the worst value used %.1f%% of its tolerance (seed"
          + " %d)", cases, skipped, 100 * worstShare, worstSeed);
    }
  }
}
