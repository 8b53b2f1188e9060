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
   * The graph recorded again on a tape that takes a closed tape's matrices, then re-run twice,
   * gives the first tape's values and gradients bit for bit: each time the buffers handed back
   * still hold the numbers, so a buffer not zeroed or not written whole before an op adds to it
   * shows up doubled.
   */
  static void assertRerunIsBitExact(RandomGraph graph) {
    Tape first = new Tape();
    Node J1 = graph.evaluate(variables(first, graph));
    Gradients g1 = first.backward(J1);
    double[][] values = new double[first.size()][];
    double[][] grads = new double[first.size()][];
    for (Node n : first.nodes()) {
      values[n.id] = n.value().data.clone();
      grads[n.id] = g1.has(n) ? g1.get(n).data.clone() : null;
    }
    first.close();
    try (Tape tape = new Tape()) {
      Node J = graph.evaluate(variables(tape, graph));
      assertSameBits(tape, tape.backward(J), values, grads, "on a closed tape's matrices", graph);
      tape.forward().backward(J);
      Gradients again = tape.forward().backward(J);
      assertSameBits(tape, again, values, grads, "re-run", graph);
    }
  }

  private static List<Node> variables(Tape tape, RandomGraph graph) {
    List<Node> vars = new ArrayList<>();
    for (int i = 0; i < graph.inputs.size(); i++) {
      vars.add(tape.variable("x" + i, graph.inputs.get(i)));
    }
    return vars;
  }

  private static void assertSameBits(Tape tape, Gradients g, double[][] values, double[][] grads,
      String how, RandomGraph graph) {
    assertEquals(values.length, tape.size());
    for (Node n : tape.nodes()) {
      assertArrayEquals(values[n.id], n.value().data, 0, () -> n + " value " + how + "\n" + graph);
      assertEquals(grads[n.id] != null, g.has(n), () -> n + " has a gradient\n" + graph);
      if (g.has(n)) {
        assertArrayEquals(grads[n.id], g.get(n).data, 0, () -> n + " " + how + "\n" + graph);
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
