package dev.autodiff.spark;

import static dev.autodiff.spark.Fixtures.CE;
import static dev.autodiff.spark.Fixtures.DATA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autodiff.nn.CompiledObjective;
import dev.autodiff.nn.Data;
import dev.autodiff.nn.Losses;
import dev.autodiff.nn.Mlp;
import dev.autodiff.nn.Objective;
import dev.autodiff.nn.Optimizer;
import dev.autodiff.nn.Parameter;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ParameterAveragingTest {
  static JavaSparkContext sc;

  @BeforeAll
  static void start() {
    sc = Fixtures.spark("local[2,4]"); // a task may be tried 4 times
  }

  @AfterAll
  static void stop() {
    sc.stop();
  }

  static ParameterAveraging.Builder averaging(int batch, int every, int rounds) {
    return ParameterAveraging.builder(new Objective(CE, Fixtures.LAMBDA),
        () -> Optimizer.sgd(0.1)).batchSize(batch).averageEvery(every).rounds(rounds).seed(3);
  }

  /**
   * With one local SGD step a round, the average of the partitions' parameters is one SGD step
   * on J over the union of their batches: the mean of their gradients, weighted by rows.
   */
  @Test
  void oneLocalStepAveragedIsOneStepOnTheUnionOfTheBatches() {
    try (SparkGradientSource source = SparkGradientSource.of(sc, DATA, 3, CE,
        Fixtures.factory())) {
      long[] sizes = source.partitionSizes();
      int[] union = new int[0];
      int first = 0;
      for (int p = 0; p < sizes.length; p++) {
        int f = first;
        int[] mine = Arrays.stream(ParameterAveraging.batch(3, p, (int) sizes[p], 8, 0))
            .map(i -> f + i).toArray();
        union = IntStream.concat(Arrays.stream(union), Arrays.stream(mine)).toArray();
        first += (int) sizes[p];
      }
      assertEquals(24, union.length);
      Mlp expected = Fixtures.model(1);
      Data batch = DATA.rows(union);
      CompiledObjective.Evaluation e = new Objective(CE, Fixtures.LAMBDA).compile(expected, 5)
          .evaluate(batch.X(), batch.Y(), 0);
      for (Parameter p : expected.trainableParameters()) {
        DMatrixRMaj g = e.gradient().get(p);
        for (int k = 0; k < g.getNumElements(); k++) {
          p.value().data[k] -= 0.1 * g.data[k];
        }
      }
      Mlp averaged = Fixtures.model(1);
      averaging(8, 1, 1).build().fit(averaged, source);
      double worst = Fixtures.largestDifference(expected, averaged);
      assertTrue(worst < 1e-14, "largest difference " + worst);
    }
  }

  /** Rounds of 5 local steps lower L, give the same bits twice, and after a retried task. */
  @Test
  void roundsLowerTheLossTheSameBitsEveryTimeAndAfterARetriedTask() {
    Mlp once = Fixtures.model(1);
    Mlp twice = Fixtures.model(1);
    Mlp retried = Fixtures.model(1);
    double[] L;
    try (SparkGradientSource source = SparkGradientSource.of(sc, DATA, 3, CE,
        Fixtures.factory())) {
      L = averaging(6, 5, 8).build().fit(once, source);
      averaging(6, 5, 8).build().fit(twice, source);
    }
    int before = SparkGradientSource.Fault.FIRED.get();
    try (SparkGradientSource source = SparkGradientSource.of(sc, DATA, 3, CE,
        Fixtures.factory())) {
      source.failFirstAttempt(2, 4);
      averaging(6, 5, 8).build().fit(retried, source);
    }
    assertEquals(1, SparkGradientSource.Fault.FIRED.get() - before, "the injected failure");
    assertTrue(L[7] < 0.8 * L[0], Arrays.toString(L));
    Fixtures.assertSameBits(once, twice);
    Fixtures.assertSameBits(once, retried);
  }

  @Test
  void badSettingsAndAnotherLossAreRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> averaging(8, 0, 1));
    assertEquals("the parameters are averaged every k > 0 local steps, got k = 0",
        e.getMessage());
    try (SparkGradientSource source = SparkGradientSource.of(sc, DATA, 2,
        Losses.MEAN_SQUARED_ERROR, Fixtures.factory())) {
      e = assertThrows(IllegalArgumentException.class,
          () -> averaging(8, 1, 1).build().fit(Fixtures.model(1), source));
      assertEquals("the gradient source holds data for mean squared error, but the objective's "
          + "loss is softmax cross-entropy", e.getMessage());
    }
  }
}
