package dev.autodiff.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
    assertRerunIsBitExact(graph);
  }

  /**
   * The graph's tape re-run twice on the same values gives the first backward's gradients bit for
   * bit: the second re-run gets back buffers that still hold them, so any buffer not zeroed or
   * written whole before an op adds to it shows up doubled.
   */
  static void assertRerunIsBitExact(RandomGraph graph) {
    Tape tape = new Tape();
    List<Node> vars = new ArrayList<>();
    for (int i = 0; i < graph.inputs.size(); i++) {
      vars.add(tape.variable("x" + i, graph.inputs.get(i)));
    }
    Node J = graph.evaluate(vars);
    Gradients first = tape.backward(J);
    double[][] expected = new double[tape.size()][];
    for (Node n : tape.nodes()) {
      expected[n.id] = first.has(n) ? first.get(n).data.clone() : null;
    }
    tape.forward().backward(J);
    Gradients again = tape.forward().backward(J);
    for (Node n : tape.nodes()) {
      assertEquals(expected[n.id] != null, again.has(n), () -> n + " has a gradient\n" + graph);
      if (again.has(n)) {
        assertArrayEquals(expected[n.id], again.get(n).data, 0, () -> n + " after a re-run\n" + graph);
      }
    }
  }

  /** Seeds drawn uniformly from all longs: a seed is a name for a graph, not a size. */
  @Provide
  Arbitrary<Long> seeds() {
    return Arbitraries.longs().withDistribution(RandomDistribution.uniform());
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
              + " (seed %d); ops: %s",
          graphs, seeds.size(), ops, deepest, depth20, broadcasts, sameOperand, worstRel, worstRelSeed, 100 * worstShare, worstShareSeed, kinds);
    }
  }
}
