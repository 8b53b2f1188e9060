package dev.autodiff.spark;

import static dev.autodiff.spark.Fixtures.CE;
import static dev.autodiff.spark.Fixtures.DATA;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autodiff.nn.CompiledObjective;
import dev.autodiff.nn.Data;
import dev.autodiff.nn.GradientSource;
import dev.autodiff.nn.Loss;
import dev.autodiff.nn.Losses;
import dev.autodiff.nn.Mlp;
import dev.autodiff.nn.Objective;
import dev.autodiff.nn.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Spark source against one machine, in local[2]: the same gradients and the same training. */
class SparkGradientSourceTest {
  static JavaSparkContext sc;

  @BeforeAll
  static void start() {
    sc = Fixtures.spark("local[2]");
  }

  @AfterAll
  static void stop() {
    sc.stop();
  }

  @Test
  void theSharesAddUpToTheWholeBatchsGradient() {
    Mlp m = Fixtures.model(1);
    int[] batch = IntStream.range(0, 90).map(i -> (i * 37) % 90).limit(61).toArray();
    try (SparkGradientSource source = SparkGradientSource.of(sc, DATA, 3, CE,
        Fixtures.factory())) {
      GradientSource.LossGradient lg = source.lossGradient(m, batch, 0);
      Data whole = DATA.rows(batch);
      CompiledObjective.Evaluation e = new Objective(CE, Fixtures.LAMBDA).compile(m, 5)
          .evaluate(whole.X(), whole.Y(), 0);
      assertEquals(e.L(), lg.L(), 1e-12 * e.L());
      double worst = 0;
      for (Map.Entry<String, Parameter> entry : m.namedParameters().entrySet()) {
        DMatrixRMaj expected = e.gradient().get(entry.getValue());
        DMatrixRMaj actual = lg.gradient().get(entry.getKey()).copy();
        if (entry.getValue().isWeight()) { // J's gradient has λW; the source gives L's
          CommonOps_DDRM.addEquals(actual, Fixtures.LAMBDA, entry.getValue().value());
        }
        for (int k = 0; k < expected.getNumElements(); k++) {
          worst = Math.max(worst, Math.abs(expected.data[k] - actual.data[k])
              / Math.max(1e-3, Math.abs(expected.data[k])));
        }
      }
      assertTrue(worst < 1e-12, "largest relative difference " + worst);
      // the same batch again: the same bits
      GradientSource.LossGradient again = source.lossGradient(m, batch, 0);
      assertEquals(lg.L(), again.L(), 0);
      lg.gradient().forEach((path, g) -> assertArrayEquals(g.data, again.gradient().get(path).data,
          0, path));
    }
  }

  /** Five Adam steps with a schedule and clipping: one machine's parameters, for both losses. */
  @Test
  void fiveStepsOnSparkFollowOneMachine() {
    for (Loss loss : List.of(CE, Losses.HALF_SQUARED_ERROR)) {
      Mlp one = Fixtures.model(1);
      Fixtures.trainer(loss, 1).fit(one, DATA);
      try (SparkGradientSource source = SparkGradientSource.of(sc, DATA, 3, loss,
          Fixtures.factory())) {
        Mlp spark = Fixtures.model(1);
        Fixtures.trainer(loss, 1).fit(spark, source);
        double worst = Fixtures.largestDifference(one, spark);
        assertTrue(worst < 1e-10, loss.name() + ": largest difference " + worst);
        // and again, on new replicas of another source: the same bits
        try (SparkGradientSource other = SparkGradientSource.of(sc, DATA, 3, loss,
            Fixtures.factory())) {
          Mlp again = Fixtures.model(1);
          Fixtures.trainer(loss, 1).fit(again, other);
          Fixtures.assertSameBits(spark, again);
        }
      }
    }
  }

  @Test
  void eachPartitionCompilesItsPlansOnceForAllSteps() {
    try (SparkGradientSource source = SparkGradientSource.of(sc, DATA, 3, CE,
        Fixtures.factory())) {
      int before = Replica.MADE.get();
      Fixtures.trainer(CE, 2).fit(Fixtures.model(1), source); // ten steps
      assertEquals(3, Replica.MADE.get() - before);
    }
  }

  @Test
  void emptyPartitionsContributeNothing() {
    Data five = Fixtures.classes(5, 8);
    JavaRDD<Example> spread = sc.parallelize(Example.rows(five), 8);
    try (SparkGradientSource source = SparkGradientSource.of(spread, 3, 3, CE,
        Fixtures.factory())) {
      assertEquals(5, source.size());
      assertEquals(8, source.partitions());
      assertEquals(5, java.util.Arrays.stream(source.partitionSizes()).sum());
      assertTrue(java.util.Arrays.stream(source.partitionSizes()).anyMatch(n -> n == 0));
      Mlp one = Fixtures.model(1);
      Fixtures.trainer(CE, 3, 2).fit(one, five);
      Mlp spark = Fixtures.model(1);
      Fixtures.trainer(CE, 3, 2).fit(spark, source);
      assertTrue(Fixtures.largestDifference(one, spark) < 1e-10);
    }
    // a filter that leaves partitions empty
    JavaRDD<Example> filtered = sc.parallelize(Example.rows(DATA), 4)
        .filter(e -> e.x()[0] > 0.5);
    try (SparkGradientSource source = SparkGradientSource.of(filtered, 3, 3, CE,
        Fixtures.factory())) {
      assertEquals(filtered.count(), source.size());
      GradientSource.LossGradient lg = source.lossGradient(Fixtures.model(1),
          IntStream.range(0, source.size()).toArray(), 0);
      assertTrue(Double.isFinite(lg.L()));
    }
  }

  @Test
  void aNonFiniteEntryIsNamedByIndexPartitionRowAndColumn() {
    List<Example> rows = new ArrayList<>(Example.rows(DATA));
    rows.get(37).x()[2] = Double.NaN;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SparkGradientSource.of(sc.parallelize(rows, 3), 3, 3, CE, Fixtures.factory()));
    assertEquals("example 37 (row 7 of partition 1) has NaN in x at column 2: training data "
        + "must be finite; nothing was trained", e.getMessage());
    rows.get(37).x()[2] = 0;
    rows.get(88).y()[1] = Double.NEGATIVE_INFINITY;
    e = assertThrows(IllegalArgumentException.class,
        () -> SparkGradientSource.of(sc.parallelize(rows, 3), 3, 3, CE, Fixtures.factory()));
    assertTrue(e.getMessage().startsWith("example 88 (row 28 of partition 2) has -Infinity in y "
        + "at column 1"), e.getMessage());
  }

  @Test
  void examplesOfAnotherWidthAreNamed() {
    List<Example> rows = new ArrayList<>(Example.rows(DATA));
    rows.set(50, new Example(new double[] {1, 2}, new double[] {0, 1, 0}));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SparkGradientSource.of(sc.parallelize(rows, 3), 3, 3, CE, Fixtures.factory()));
    assertEquals("example 50 (row 20 of partition 1) has 2 entries in x, but the declared input "
        + "width is 3", e.getMessage());
  }

  /** The model is checked on the driver before any job: this RDD fails any job that runs. */
  @Test
  void aModelOfOtherWidthsIsRejectedBeforeAnyJob() {
    JavaRDD<Example> untouchable = sc.parallelize(Example.rows(DATA), 2).map(x -> {
      throw new AssertionError("a job ran");
    });
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SparkGradientSource.of(untouchable, 4, 3, CE, Fixtures.factory()));
    assertEquals("the model does not take the declared input width of 4: the model takes 3 "
        + "inputs per row, got X (1×4)", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> SparkGradientSource.of(untouchable, 3, 2, CE, Fixtures.factory()));
    assertEquals("the model gives 3 outputs per row, but the declared target width is 2",
        e.getMessage());
  }

  @Test
  void whatCannotTravelToTheExecutorsIsRejected() {
    JavaRDD<Example> rdd = sc.parallelize(Example.rows(DATA), 2);
    Object notSerializable = new Object();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SparkGradientSource.of(rdd, 3, 3, CE, () -> {
          notSerializable.hashCode();
          return Fixtures.model(1);
        }));
    assertTrue(e.getMessage().startsWith("the model factory cannot be sent to the executors: "
        + "java.io.NotSerializableException: java.lang.Object"), e.getMessage());
    Loss local = new Loss() {
      public String name() {
        return "my loss";
      }

      public boolean fromLogits() {
        return true;
      }

      public dev.autodiff.core.Node apply(dev.autodiff.core.Node out, dev.autodiff.core.Node y) {
        return CE.apply(out, y);
      }
    };
    e = assertThrows(IllegalArgumentException.class,
        () -> SparkGradientSource.of(rdd, 3, 3, local, Fixtures.factory()));
    assertEquals("the loss 'my loss' cannot be sent to the executors: use one of Losses' "
        + "constants, or a loss class that implements Serializable", e.getMessage());
  }

  @Test
  void aBatchOrAModelThatDoesNotFitIsRejectedBeforeTheJob() {
    try (SparkGradientSource source = SparkGradientSource.of(sc, DATA, 2, CE,
        Fixtures.factory())) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> source.lossGradient(Fixtures.model(1), new int[] {0, 90}, 0));
      assertEquals("the batch's index 1 is 90, outside the data set's 0 … 89", e.getMessage());
      Mlp wider = Mlp.builder(3).hidden(6, dev.autodiff.nn.Activation.TANH).output(3).build();
      e = assertThrows(IllegalArgumentException.class,
          () -> source.lossGradient(wider, new int[] {0, 1}, 0));
      assertEquals("the model being trained has 'W1' 6×3, the model factory's 'W1' 5×3: the "
          + "factory must build the architecture being trained", e.getMessage());
    }
  }
}
