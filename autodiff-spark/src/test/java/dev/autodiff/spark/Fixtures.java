package dev.autodiff.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.autodiff.nn.Activation;
import dev.autodiff.nn.Data;
import dev.autodiff.nn.Loss;
import dev.autodiff.nn.Mlp;
import dev.autodiff.nn.Module;
import dev.autodiff.nn.Objective;
import dev.autodiff.nn.OneHot;
import dev.autodiff.nn.Optimizer;
import dev.autodiff.nn.Parameter;
import dev.autodiff.nn.Schedule;
import dev.autodiff.nn.Trainer;
import java.util.List;
import java.util.Random;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.ejml.data.DMatrixRMaj;

/** Small data, a small model and Spark in this JVM, shared by the tests. */
final class Fixtures {
  private Fixtures() {}

  static final double LAMBDA = 0.01;
  /** 90 examples in three classes. */
  static final Data DATA = classes(90, 4);
  static final Loss CE = dev.autodiff.nn.Losses.SOFTMAX_CROSS_ENTROPY_WITH_LOGITS;

  /** A Spark context on this machine only, quiet, without its web UI. */
  static JavaSparkContext spark(String master) {
    return new JavaSparkContext(new SparkConf().setMaster(master).setAppName("autodiff-test")
        .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
        .set("spark.driver.bindAddress", "127.0.0.1"));
  }

  /** n points of three seeded Gaussian inputs in three classes, one-hot. */
  static Data classes(int n, long seed) {
    Random r = new Random(seed);
    DMatrixRMaj X = new DMatrixRMaj(n, 3);
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < 3; j++) {
        X.set(i, j, r.nextGaussian());
      }
      double a = X.get(i, 0) + 0.5 * X.get(i, 1);
      double b = X.get(i, 1) - X.get(i, 2);
      double c = 0.3 - X.get(i, 0);
      labels[i] = a > b && a > c ? 0 : b > c ? 1 : 2;
    }
    return Data.of(X, OneHot.encode(labels, 3));
  }

  static Mlp model(long seed) {
    return Mlp.builder(3).hidden(5, Activation.TANH).output(3).seed(seed).build();
  }

  /** Replicas start from other values than the driver's model: each step must overwrite them. */
  static ModelFactory factory() {
    return () -> model(100);
  }

  /** Adam with a warm-up and clipping, batch 18: five steps an epoch on 90 examples. */
  static Trainer trainer(Loss loss, int epochs) {
    return trainer(loss, epochs, 18);
  }

  static Trainer trainer(Loss loss, int epochs, int batch) {
    return builder(loss, epochs, batch).build();
  }

  static Trainer.Builder builder(Loss loss, int epochs, int batch) {
    return Trainer.builder(new Objective(loss, LAMBDA), Optimizer.adam(0.01)).batchSize(batch)
        .maxEpochs(epochs).seed(2).clipNorm(5).schedule(Schedule.warmUp(3));
  }

  static void assertSameBits(Module a, Module b) {
    List<Parameter> p = a.parameters();
    List<Parameter> q = b.parameters();
    assertEquals(p.size(), q.size());
    for (int i = 0; i < p.size(); i++) {
      assertArrayEquals(p.get(i).value().data, q.get(i).value().data, 0, p.get(i).name());
    }
  }

  /** The largest |a − b| over every entry of every parameter. */
  static double largestDifference(Module a, Module b) {
    double worst = 0;
    for (int i = 0; i < a.parameters().size(); i++) {
      double[] x = a.parameters().get(i).value().data;
      double[] y = b.parameters().get(i).value().data;
      for (int k = 0; k < x.length; k++) {
        worst = Math.max(worst, Math.abs(x[k] - y[k]));
      }
    }
    return worst;
  }
}
