package dev.autodiff.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.autodiff.core.Node;
import dev.autodiff.core.Tape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchNormTest {
  @TempDir
  Path dir;

  /** PyTorch's formula written out: y = γ (x − mean)/√(var + ε) + β, var biased, per column. */
  @Test
  void trainingNormalisesEachColumnByTheBatchsMeanAndBiasedVariance() {
    BatchNorm norm = new BatchNorm(2);
    norm.gamma().value().setTo(new DMatrixRMaj(1, 2, true, 2, -0.5));
    norm.beta().value().setTo(new DMatrixRMaj(1, 2, true, 0.1, 0.3));
    DMatrixRMaj X = new DMatrixRMaj(new double[][] {{1, 10}, {2, 10}, {3, 12}, {4, 8}});
    // column 0: mean 2.5, var (2.25 + 0.25 + 0.25 + 2.25)/4 = 1.25
    // column 1: mean 10, var (0 + 0 + 4 + 4)/4 = 2
    double s0 = Math.sqrt(1.25 + 1e-5);
    double s1 = Math.sqrt(2 + 1e-5);
    double[] expected = {
        2 * -1.5 / s0 + 0.1, -0.5 * 0 / s1 + 0.3,
        2 * -0.5 / s0 + 0.1, -0.5 * 0 / s1 + 0.3,
        2 * 0.5 / s0 + 0.1, -0.5 * 2 / s1 + 0.3,
        2 * 1.5 / s0 + 0.1, -0.5 * -2 / s1 + 0.3};
    assertArrayEquals(expected, training(norm, X).data, 1e-15);
    // a forward alone changes no statistic: they move when the values are handed over
    assertArrayEquals(new double[] {0, 0}, norm.runningMean().value().data, 0);
    assertArrayEquals(new double[] {1, 1}, norm.runningVariance().value().data, 0);
  }

  private static DMatrixRMaj training(Module m, DMatrixRMaj X) {
    Tape tape = new Tape();
    return m.forward(tape.constant("X", X), Bindings.variables(tape)).value();
  }

  /**
   * BatchNorm first, so each step's statistics are those of its batch of X: after k steps the
   * running ones are the recurrence r ← 0.9 r + 0.1 b over the batches in the trainer's order,
   * with the batch's unbiased variance.
   */
  @Test
  void runningStatisticsFollowTheRecurrenceOverTheTrainersBatches() {
    Random r = new Random(3);
    DMatrixRMaj X = Matrices.uniform(r, 20, 3, -2, 4);
    DMatrixRMaj Y = Matrices.random(r, 20, 1);
    BatchNorm norm = new BatchNorm(3);
    Module model = new Sequential(norm, new Linear(3, 1, new Random(4)));
    // batches of 8, 8 and 4: two plans, both updating the same statistics
    Trainer.builder(new Objective(Losses.MEAN_SQUARED_ERROR, 0), Optimizer.sgd(0.1))
        .batchSize(8).maxEpochs(2).seed(6).build().fit(model, X, Y);

    double[] mean = {0, 0, 0};
    double[] variance = {1, 1, 1};
    for (int epoch = 1; epoch <= 2; epoch++) {
      int[] order = Trainer.order(6, epoch, 20);
      for (int from = 0; from < 20; from += 8) {
        int to = Math.min(20, from + 8);
        int n = to - from;
        for (int j = 0; j < 3; j++) {
          double m = 0;
          for (int i = from; i < to; i++) {
            m += X.get(order[i], j);
          }
          m /= n;
          double ss = 0;
          for (int i = from; i < to; i++) {
            ss += (X.get(order[i], j) - m) * (X.get(order[i], j) - m);
          }
          mean[j] = 0.9 * mean[j] + 0.1 * m;
          variance[j] = 0.9 * variance[j] + 0.1 * ss / (n - 1);
        }
      }
    }
    assertArrayEquals(mean, norm.runningMean().value().data, 1e-15);
    assertArrayEquals(variance, norm.runningVariance().value().data, 1e-14);
    assertEquals(Parameter.Kind.STATISTIC, model.namedParameters().get("0.runningMean").kind());
    assertEquals(Parameter.Kind.STATISTIC,
        model.namedParameters().get("0.runningVariance").kind());
  }

  @Test
  void inferenceUsesTheRunningStatistics() {
    BatchNorm norm = new BatchNorm(3);
    norm.runningMean().value().setTo(new DMatrixRMaj(1, 3, true, 0.5, -1, 2));
    norm.runningVariance().value().setTo(new DMatrixRMaj(1, 3, true, 4, 0.25, 1));
    norm.gamma().value().setTo(new DMatrixRMaj(1, 3, true, 1, 2, 3));
    norm.beta().value().setTo(new DMatrixRMaj(1, 3, true, 0, -1, 1));
    DMatrixRMaj X = new DMatrixRMaj(new double[][] {{1.5, 0, 2}});
    // (1.5 − 0.5)/√4 = 0.5; 2·(0 + 1)/√0.25 − 1 = 3; 3·0 + 1 = 1, with ε under each root
    double[] expected = {1 / Math.sqrt(4 + 1e-5), 2 / Math.sqrt(0.25 + 1e-5) - 1, 1};
    assertArrayEquals(expected, norm.predict(X).data, 1e-15);
    // one row is fine in inference
    assertEquals(1, norm.predict(X).numRows);
  }

  @Test
  void modelFilesKeepTheRunningStatistics() throws IOException {
    Module model = new Sequential(new BatchNorm(2), new Linear(2, 1, new Random(1)));
    BatchNorm norm = (BatchNorm) model.children().get("0");
    norm.runningMean().value().setTo(new DMatrixRMaj(1, 2, true, 0.25, -3));
    norm.runningVariance().value().setTo(new DMatrixRMaj(1, 2, true, 7, 0.5));
    Path f = dir.resolve("bn.model");
    ModelFile.save(model, f);

    Module again = new Sequential(new BatchNorm(2), new Linear(2, 1, new Random(2)));
    ModelFile.loadInto(f, again);
    BatchNorm loaded = (BatchNorm) again.children().get("0");
    assertArrayEquals(new double[] {0.25, -3}, loaded.runningMean().value().data, 0);
    assertArrayEquals(new double[] {7, 0.5}, loaded.runningVariance().value().data, 0);
    DMatrixRMaj X = Matrices.random(new Random(5), 4, 2);
    assertArrayEquals(model.predict(X).data, again.predict(X).data, 0);
  }

  @Test
  void gradientsOfGammaBetaAndTheInputPassTheChecker() {
    double worst = LayerCheck.overShapes(new int[][] {{2, 1}, {2, 3}, {5, 1}, {3, 4}, {6, 2}},
        BatchNorm::new);
    System.out.printf("BatchNorm: worst relative gradient error %.2e%n", worst);
  }

  @Test
  void aWrongWidthOrABatchOfOneInTrainingIsRefusedNamingTheLayerAndTheShape() {
    BatchNorm norm = new BatchNorm(3);
    assertEquals("BatchNorm(3): X is 4×2, but this layer takes 3 columns",
        assertThrows(IllegalArgumentException.class,
            () -> norm.predict(new DMatrixRMaj(4, 2))).getMessage());
    assertEquals("BatchNorm(3): X is 1×3, but training needs a batch of at least 2 rows to "
            + "estimate variances",
        assertThrows(IllegalArgumentException.class,
            () -> training(norm, new DMatrixRMaj(1, 3))).getMessage());
    assertEquals("a batch norm needs width > 0, got -1",
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm(-1)).getMessage());
  }

  @Test
  void theObservedValuesOfATapeUpdateTheStatisticsWhenHandedOver() {
    BatchNorm norm = new BatchNorm(1);
    Tape tape = new Tape();
    Bindings p = Bindings.variables(tape);
    Node y = norm.forward(tape.constant("X", new DMatrixRMaj(3, 1, true, 1, 2, 6)), p);
    p.observe(Node::value);
    // mean 3, unbiased variance (4 + 1 + 9)/2 = 7
    assertArrayEquals(new double[] {0.3}, norm.runningMean().value().data, 1e-15);
    assertArrayEquals(new double[] {0.9 + 0.7}, norm.runningVariance().value().data, 1e-15);
    assertEquals(3, y.rows());
  }
}
