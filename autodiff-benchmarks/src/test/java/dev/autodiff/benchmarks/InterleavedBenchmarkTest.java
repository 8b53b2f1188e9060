package dev.autodiff.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class InterleavedBenchmarkTest {
  @Test
  void everyRoundStepsEachImplementationAndTheRatiosAreQuotientsOfTheirTimes() {
    InterleavedBenchmark b = new InterleavedBenchmark();
    b.workload = Workload.W1;
    b.setUp();
    InterleavedBenchmark.Turns turns = new InterleavedBenchmark.Turns();
    turns.clear();
    for (int r = 0; r < 6; r++) {
      b.round(turns);
    }
    Tally t = turns.tally;
    for (int i = 0; i < InterleavedBenchmark.IMPLS.length; i++) {
      // one step each at first, then blocks sized to ~20 ms: never fewer than one per round
      assertTrue(t.runs[i] >= 6, "steps of " + InterleavedBenchmark.IMPLS[i]);
      assertTrue(t.nanos[i] > 0);
    }
    assertEquals(t.nanos[0] / 1e3 / t.runs[0], turns.eagerMicros(), 0);
    assertEquals(t.nanos[1] / 1e3 / t.runs[1], turns.planMicros(), 0);
    assertEquals(t.nanos[2] / 1e3 / t.runs[2], turns.ejmlMicros(), 0);
    assertEquals(t.nanos[3] / 1e3 / t.runs[3], turns.blasMicros(), 0);
    assertEquals(turns.planMicros() / turns.ejmlMicros(), turns.planOverEjml(), 0);
    assertEquals(turns.planMicros() / turns.blasMicros(), turns.planOverBlas(), 0);
    assertEquals(turns.eagerMicros() / turns.ejmlMicros(), turns.eagerOverEjml(), 0);
    assertEquals(turns.eagerMicros() / turns.planMicros(), turns.eagerOverPlan(), 0);

    turns.clear(); // a new iteration starts from nothing
    assertTrue(Double.isNaN(turns.planOverEjml()));
  }

  @Test
  void theHvpAndGradientTakeTurns() {
    HvpBenchmark b = new HvpBenchmark();
    b.setUp();
    HvpBenchmark.Turns turns = new HvpBenchmark.Turns();
    turns.clear();
    for (int r = 0; r < 2; r++) {
      b.round(turns);
    }
    for (int i = 0; i < 4; i++) {
      assertTrue(turns.tally.runs[i] >= 2, "runs of task " + i);
    }
    assertEquals(turns.hvpMicros() / turns.gradientMicros(), turns.hvpOverGradient(), 0);
    assertEquals(turns.eagerHvpMicros() / turns.eagerGradientMicros(),
        turns.eagerHvpOverGradient(), 0);
  }

  @Test
  void thePenaltySpellingsTakeTurns() {
    PenaltyBenchmark b = new PenaltyBenchmark();
    b.setUp();
    PenaltyBenchmark.Turns turns = new PenaltyBenchmark.Turns();
    turns.clear();
    for (int r = 0; r < 2; r++) {
      b.round(turns);
    }
    assertTrue(turns.tally.runs[0] >= 2 && turns.tally.runs[1] >= 2);
    assertEquals(turns.literalMicros() / turns.halfSquaredNormMicros(),
        turns.literalOverHalfSquaredNorm(), 0);
  }

  @Test
  void productsInTurnsAreCountedAsFlopsPerNanosecond() {
    InterleavedGemmBenchmark b = new InterleavedGemmBenchmark();
    b.n = 256;
    b.setUp();
    try {
      InterleavedGemmBenchmark.Turns turns = new InterleavedGemmBenchmark.Turns();
      turns.clear();
      for (int r = 0; r < 3; r++) {
        b.round(turns);
      }
      Tally t = turns.tally;
      assertTrue(t.runs[0] >= 3 && t.runs[1] >= 3);
      assertEquals(2.0 * 256 * 256 * 256 * t.runs[0] / t.nanos[0], turns.engineGflops(), 1e-9);
      assertEquals(2.0 * 256 * 256 * 256 * t.runs[1] / t.nanos[1], turns.blasGflops(), 1e-9);
      assertEquals(turns.engineGflops() / turns.blasGflops(), turns.engineOverBlas(), 1e-12);
    } finally {
      b.tearDown();
    }
  }

  @Test
  void theConvolutionAndItsProductTakeTurns() {
    for (ConvBenchmark.Layer layer : ConvBenchmark.Layer.values()) {
      ConvBenchmark b = new ConvBenchmark();
      b.layer = layer;
      b.setUp();
      ConvBenchmark.Turns turns = new ConvBenchmark.Turns();
      turns.clear();
      for (int r = 0; r < 2; r++) {
        b.round(turns);
      }
      assertTrue(turns.tally.runs[0] >= 2 && turns.tally.runs[1] >= 2);
      assertEquals(turns.productMicros() / turns.convMicros(), turns.productOverConv(), 0);
    }
  }

  @Test
  void theEmbeddingPlansAgreeAndTakeTurns() {
    java.util.Random random = new java.util.Random(1);
    int[] ids = GatherBenchmark.ids(random);
    org.ejml.data.DMatrixRMaj readout =
        Workload.gaussian(GatherBenchmark.IDS, GatherBenchmark.WIDTH, 1, random);
    dev.autodiff.core.Node table = GatherBenchmark.table(GatherBenchmark.TABLE_ROWS[0], random);
    dev.autodiff.core.Plan plan = GatherBenchmark.plan(table, ids, readout);
    plan.run();
    // ∂J/∂E adds row i of R into row ids[i], once per run however often the plan ran
    org.ejml.data.DMatrixRMaj expected =
        new org.ejml.data.DMatrixRMaj(GatherBenchmark.TABLE_ROWS[0], GatherBenchmark.WIDTH);
    for (int i = 0; i < ids.length; i++) {
      for (int j = 0; j < GatherBenchmark.WIDTH; j++) {
        expected.add(ids[i], j, readout.get(i, j));
      }
    }
    org.ejml.data.DMatrixRMaj g = plan.run().get(table);
    for (int i = 0; i < expected.getNumElements(); i++) {
      assertEquals(expected.data[i], g.data[i], 1e-12);
    }

    GatherBenchmark b = new GatherBenchmark();
    b.setUp();
    GatherBenchmark.Turns turns = new GatherBenchmark.Turns();
    turns.clear();
    b.round(turns);
    for (int t = 0; t < GatherBenchmark.TABLE_ROWS.length; t++) {
      assertTrue(turns.tally.runs[t] >= 1);
    }
    assertEquals(turns.mediumMicros() / turns.smallMicros(), turns.mediumOverSmall(), 0);
    assertEquals(turns.largeMicros() / turns.smallMicros(), turns.largeOverSmall(), 0);
  }
}
