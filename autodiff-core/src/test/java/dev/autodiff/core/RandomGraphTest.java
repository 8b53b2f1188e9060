package dev.autodiff.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autodiff.core.check.GradientCheck;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * Random expression graphs ({@link RandomGraph}), each gradient-checked against central
 * differences. 500 graphs by default (junit-platform.properties); for 20,000:
 *
 * <pre>
 * mvn -B -pl autodiff-core -am test -Dtest=RandomGraphTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Djqwik.tries.default=20000
 * </pre>
 *
 * <p>A failing graph is reported with its seed and its nodes, one line each; keep the seed as a
 * regression case in {@link RandomGraphRegressionTest}.
 */
class RandomGraphTest {
  /** Counts over the run, reported once at the end. */
  static final Stats STATS = new Stats();

  @Property(shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
  void everyRandomGraphPassesTheGradientCheck(@ForAll("seeds") long seed) {
    RandomGraph graph = RandomGraph.draw(seed);
    GradientCheck.Report report = check(graph);
    STATS.add(graph, report);
    assertTrue(report.passed(), () -> "gradient check failed for\n" + graph + "\n" + report);
    assertPlanAgrees(graph);
    GradientCheck.Report second;
    try {
      second = secondOrder(graph);
    } catch (UnsupportedOperationException e) {
      // softplus's gradient is matrix code: a second derivative through it is refused, naming it
      assertTrue(differentiatesSoftplus(graph), () -> "refused without a softplus\n" + graph);
      assertTrue(e.getMessage().startsWith("softplus is differentiable once"), e::getMessage);
      return;
    }
    STATS.addSecondOrder(second);
    assertTrue(second.passed(), () -> "second-order check failed for\n" + graph + "\n" + second);
  }

  /**
   * The graph compiled into a plan and run twice: its values are the tape's bit for bit, its
   * gradients the tape's to rounding (a product may add a term as β·C), and the second run gives
   * the first one's bits: a buffer reused before its value is dead, or not written whole, shows.
   */
  static void assertPlanAgrees(RandomGraph graph) {
    Tape tape = new Tape();
    List<Node> vars = variables(tape, graph);
    Node J = graph.evaluate(vars);
    Gradients expected = tape.backward(J);
    Plan plan = Plan.compile(J, vars, List.of());
    Gradients g = plan.run();
    assertEquals(J.scalar(), plan.value(J).get(0, 0), 0, () -> "J\n" + graph);
    double[][] first = new double[vars.size()][];
    for (int i = 0; i < vars.size(); i++) {
      Node x = vars.get(i);
      if (expected.has(x)) {
        PlanTest.assertClose(expected.get(x), g.get(x), () -> x + "\n" + graph);
        first[i] = g.get(x).data.clone();
      }
    }
    Gradients again = plan.run();
    for (int i = 0; i < vars.size(); i++) {
      if (first[i] != null) {
        assertArrayEquals(first[i], again.get(vars.get(i)).data, 0, "a second run\n" + graph);
      }
    }
  }

  private static List<Node> variables(Tape tape, RandomGraph graph) {
    List<Node> vars = new ArrayList<>();
    for (int i = 0; i < graph.inputs.size(); i++) {
      vars.add(tape.variable("x" + i, graph.inputs.get(i)));
    }
    return vars;
  }

  /** Seeds drawn uniformly from all longs: a seed is a name for a graph, not a size. */
  @Provide
  Arbitrary<Long> seeds() {
    return Arbitraries.longs().withDistribution(RandomDistribution.uniform());
  }

  /** True when a softplus node of the graph has a variable on a path into it. */
  static boolean differentiatesSoftplus(RandomGraph graph) {
    Tape tape = new Tape();
    graph.evaluate(variables(tape, graph));
    return tape.nodes().stream().anyMatch(n -> n.op() == RandomGraph.SOFTPLUS && n.requiresGrad());
  }

  static GradientCheck.Report secondOrder(RandomGraph graph) {
    return GradientCheck.defaults().checkSecondOrder(graph::evaluate,
        graph.inputs.toArray(new DMatrixRMaj[0]));
  }

  static GradientCheck.Report check(RandomGraph graph) {
    return GradientCheck.defaults().check(graph::evaluate,
        graph.inputs.toArray(new DMatrixRMaj[0]));
  }

  @AfterContainer
  static void report() {
    System.out.println(STATS);
  }

  /** How many graphs and ops were checked, how deep, and the largest errors seen. */
  static final class Stats {
    int graphs;
    final Set<Long> seeds = new HashSet<>();
    long ops;
    int deepest;
    int depth20;
    long broadcasts;
    long sameOperand;
    double worstRel;
    long worstRelSeed;
    double worstShare;
    long worstShareSeed;
    final Map<RandomGraph.Kind, Integer> kinds = new EnumMap<>(RandomGraph.Kind.class);
    int secondOrderGraphs;
    double worstSecondOrder;

    synchronized void addSecondOrder(GradientCheck.Report report) {
      secondOrderGraphs++;
      worstSecondOrder = Math.max(worstSecondOrder, report.maxRelError());
    }

    synchronized void add(RandomGraph graph, GradientCheck.Report report) {
      graphs++;
      seeds.add(graph.seed);
      ops += graph.steps.size();
      deepest = Math.max(deepest, graph.depth);
      depth20 += graph.depth == RandomGraph.MAX_DEPTH ? 1 : 0;
      broadcasts += graph.broadcasts;
      sameOperand += graph.sameOperand;
      graph.steps.forEach(s -> kinds.merge(s.kind(), 1, Integer::sum));
      if (report.maxRelError() > worstRel) {
        worstRel = report.maxRelError();
        worstRelSeed = graph.seed;
      }
      for (GradientCheck.Result r : report.results()) {
        // the worst element's error as a share of what the tolerance allows it
        double scale = Math.max(Math.abs(r.analytic()), Math.abs(r.numeric()));
        double share = Math.abs(r.analytic() - r.numeric())
            / (report.absTol() + report.relTol() * scale);
        if (share > worstShare) {
          worstShare = share;
          worstShareSeed = graph.seed;
        }
      }
    }

    @Override
    public synchronized String toString() {
      return String.format("random graphs: %d checked (%d distinct), %d ops, deepest %d (%d of"
              + " depth 20), %d broadcasting ops, %d ops with one node as both operands; worst"
              + " relative error %.2e (seed %d); worst element used %.1f%% of its tolerance"
              + " (seed %d); second order on %d graphs (the rest hold softplus, once"
              + " differentiable): worst relative error %.2e; ops: %s",
          graphs, seeds.size(), ops, deepest, depth20, broadcasts, sameOperand, worstRel,
          worstRelSeed, 100 * worstShare, worstShareSeed, secondOrderGraphs, worstSecondOrder,
          kinds);
    }
  }
}
