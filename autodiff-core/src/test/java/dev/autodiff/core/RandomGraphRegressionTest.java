package dev.autodiff.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random graphs pinned by seed. A seed the fuzzer finds failing is added here, with a line saying
 * what was wrong, once fixed. None has failed so far; the seeds below are the extremes of two
 * 20,000-graph runs, kept so that they stay checked on every build.
 */
class RandomGraphRegressionTest {

  @ParameterizedTest
  @ValueSource(longs = {
      // the largest relative errors: 1.3e-3 on an entry of 1.1e-6, 4.5e-4 on one of 1.5e-6
      2517175545782915069L, -185413251585150382L,
      // the largest shares of the tolerance: 1% (a gradient of 1307.6), 0.3%
      9094500279902129910L, 456476317739427006L,
      // depth 20, with 27 and 21 ops
      55L, 288L
  })
  void pinnedGraphsPassTheGradientCheck(long seed) {
    RandomGraphTest.check(RandomGraph.draw(seed)).assertPassed();
  }

  @Test
  void aSeedAlwaysDrawsTheSameGraph() {
    // a seed is only worth keeping if it names one graph
    RandomGraph graph = RandomGraph.draw(55);
    assertEquals(graph.toString(), RandomGraph.draw(55).toString());
    assertEquals(20, graph.depth);
    assertEquals(27, graph.steps.size());
    assertEquals(RandomGraphTest.check(graph).value(),
        RandomGraphTest.check(RandomGraph.draw(55)).value(), 0);
  }
}
