package dev.autodiff.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autodiff.core.Tape;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class TrainerTest {
  static final DMatrixRMaj XOR_X = new DMatrixRMaj(new double[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}});
  static final DMatrixRMaj XOR_Y = new DMatrixRMaj(4, 1, true, 0, 1, 1, 0);

  static Mlp xorModel() {
    return Mlp.builder(2).hidden(4, Activation.TANH).output(1, Activation.SIGMOID).seed(1).build();
  }

  static History trainXor(Mlp m) {
    return Trainer.builder(new Objective(Losses.BINARY_CROSS_ENTROPY_WITH_LOGITS, 0),
        Optimizer.adam(0.05)).batchSize(4).maxEpochs(400).seed(2).build().fit(m, XOR_X, XOR_Y);
  }

  @Test
  void xorIsLearnedDeterministically() {
    Mlp a = xorModel();
    History h = trainXor(a);
    assertTrue(h.last().L() < 0.01, "L = " + h.last().L());
    assertArrayEquals(new int[] {0, 1, 1, 0}, classifyBinary(a.predict(XOR_X)));
    // same seeds, same run, bit for bit
    Mlp b = xorModel();
    History again = trainXor(b);
    assertEquals(h.epochs().stream().map(History.Epoch::J).toList(),
        again.epochs().stream().map(History.Epoch::J).toList());
    assertArrayEquals(a.parameters().get(0).value().data, b.parameters().get(0).value().data, 0);
  }

  /**
   * fit re-runs one recorded tape per batch size; it must train exactly as a new tape per step
   * does (Trainer.step), batch for batch in the same shuffled order, with a smaller last batch.
   */
  @Test
  void fitTrainsBitForBitLikeANewTapePerStep() {
    DMatrixRMaj[] data = regression(); // 64 rows: batches of 10, the last one of 4
    Trainer trainer = Trainer.builder(new Objective(Losses.MEAN_SQUARED_ERROR, 1e-3),
        Optimizer.adam(0.01)).batchSize(10).maxEpochs(3).seed(5).build();
    Mlp fitted = Mlp.builder(3).hidden(6, Activation.RELU).output(1).seed(4).build();
    trainer.fit(fitted, data[0], data[1]);

    Mlp stepped = Mlp.builder(3).hidden(6, Activation.RELU).output(1).seed(4).build();
    Trainer same = Trainer.builder(new Objective(Losses.MEAN_SQUARED_ERROR, 1e-3),
        Optimizer.adam(0.01)).batchSize(10).maxEpochs(3).seed(5).build();
    for (int epoch = 1; epoch <= 3; epoch++) {
      int[] order = Trainer.order(5, epoch, 64);
      for (int from = 0; from < 64; from += 10) {
        int to = Math.min(64, from + 10);
        DMatrixRMaj x = new DMatrixRMaj(to - from, 3);
        DMatrixRMaj y = new DMatrixRMaj(to - from, 1);
        Data.copyRows(data[0], order, from, to, x);
        Data.copyRows(data[1], order, from, to, y);
        same.step(stepped, x, y);
      }
    }
    for (int k = 0; k < fitted.parameters().size(); k++) {
      assertArrayEquals(stepped.parameters().get(k).value().data,
          fitted.parameters().get(k).value().data, 0, fitted.parameters().get(k).name());
    }
  }

  static int[] classifyBinary(DMatrixRMaj p) {
    int[] c = new int[p.numRows];
    for (int i = 0; i < c.length; i++) {
      c[i] = p.get(i, 0) > 0.5 ? 1 : 0;
    }
    return c;
  }

  /** y = X w* + b* + noise, 64 rows, seeded. */
  static DMatrixRMaj[] regression() {
    Random r = new Random(21);
    DMatrixRMaj X = Matrices.random(r, 64, 3);
    DMatrixRMaj Y = new DMatrixRMaj(64, 1);
    for (int i = 0; i < 64; i++) {
      Y.set(i, 0, 2 * X.get(i, 0) - X.get(i, 1) + 0.5 * X.get(i, 2) + 0.3
          + 0.01 * r.nextGaussian());
    }
    return new DMatrixRMaj[] {X, Y};
  }

  @Test
  void miniBatchRegressionReachesTheNoiseFloorDeterministically() {
    DMatrixRMaj[] d = regression();
    List<Double> first = null;
    for (int run = 0; run < 2; run++) {
      Mlp m = Mlp.builder(3).output(1).seed(3).build();
      History h = Trainer.builder(new Objective(Losses.MEAN_SQUARED_ERROR, 0),
          Optimizer.momentum(0.05, 0.9)).batchSize(8).maxEpochs(60).seed(4).build()
          .fit(m, d[0], d[1]);
      assertEquals(60, h.epochs().size());
      assertTrue(h.last().L() < 1e-4, "L = " + h.last().L()); // noise: ½·0.01² = 5e-5
      DMatrixRMaj w = m.layers().get(0).W().value();
      assertArrayEquals(new double[] {2, -1, 0.5}, w.data, 0.02);
      List<Double> js = h.epochs().stream().map(History.Epoch::J).toList();
      if (first != null) {
        assertEquals(first, js);
      }
      first = js;
    }
  }

  @Test
  void fullBatchHistoryHoldsJAndGradientNormBeforeEachStep() {
    DMatrixRMaj[] d = regression();
    Mlp m = Mlp.builder(3).output(1).seed(3).build();
    Objective objective = new Objective(Losses.MEAN_SQUARED_ERROR, 0.1);
    Tape tape = new Tape();
    Objective.Terms t0 = objective.evaluate(m, tape.constant("X", d[0]), tape.constant("Y", d[1]),
        Bindings.constants(tape));
    History h = Trainer.builder(objective, Optimizer.sgd(0.1)).batchSize(64).maxEpochs(3).build()
        .fit(m, d[0], d[1]);
    History.Epoch e1 = h.epochs().get(0);
    assertEquals(t0.L().scalar(), e1.L(), 1e-15);
    assertEquals(t0.s().scalar(), e1.s(), 1e-15);
    assertEquals(t0.J().scalar(), e1.J(), 1e-15);
    assertEquals(e1.L() + e1.s(), e1.J(), 1e-15);
    assertTrue(h.epochs().get(2).J() < e1.J());
  }

  @Test
  void stopsOnTheGradientNormCriterion() {
    DMatrixRMaj[] d = regression();
    Mlp m = Mlp.builder(3).output(1).seed(3).build();
    History h = Trainer.builder(new Objective(Losses.MEAN_SQUARED_ERROR, 0), Optimizer.sgd(0.5))
        .batchSize(64).maxEpochs(5000).tolerance(0, 1e-6).build().fit(m, d[0], d[1]);
    assertEquals(History.Stop.GRADIENT_NORM, h.stop());
    assertTrue(h.last().gradientNorm() < 1e-6);
    assertTrue(h.epochs().get(h.epochs().size() - 2).gradientNorm() >= 1e-6);
    assertTrue(h.epochs().size() < 5000);
  }

  @Test
  void stopsOnTheObjectiveChangeCriterion() {
    DMatrixRMaj[] d = regression();
    Mlp m = Mlp.builder(3).output(1).seed(3).build();
    History h = Trainer.builder(new Objective(Losses.MEAN_SQUARED_ERROR, 0), Optimizer.sgd(0.5))
        .batchSize(64).maxEpochs(5000).tolerance(1e-9, 0).build().fit(m, d[0], d[1]);
    assertEquals(History.Stop.OBJECTIVE_CHANGE, h.stop());
    int k = h.epochs().size();
    assertTrue(Math.abs(h.epochs().get(k - 1).J() - h.epochs().get(k - 2).J()) < 1e-9);
    assertTrue(Math.abs(h.epochs().get(k - 2).J() - h.epochs().get(k - 3).J()) >= 1e-9);
  }

  @Test
  void divergenceStopsTrainingWithAClearError() {
    DMatrixRMaj[] d = regression();
    Mlp m = Mlp.builder(3).output(1).seed(3).build();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Trainer.builder(new Objective(Losses.MEAN_SQUARED_ERROR, 0), Optimizer.sgd(50))
            .batchSize(64).maxEpochs(10_000).build().fit(m, d[0], d[1]));
    assertTrue(e.getMessage().startsWith("training diverged: J = ")
        && e.getMessage().contains(", batch 1 with SGD(α = 50.0)"), e.getMessage());
    // no NaN was written into the model: its parameters are the last finite ones
    for (Parameter p : m.parameters()) {
      for (double v : p.value().data) {
        assertTrue(Double.isFinite(v), p + " holds " + v);
      }
    }
  }

  @Test
  void stopsAtTheEpochBudgetAndRecordsMetrics() {
    Mlp m = xorModel();
    int[] calls = {0};
    History h = Trainer.builder(new Objective(Losses.BINARY_CROSS_ENTROPY_WITH_LOGITS, 0),
            Optimizer.sgd(0.1)).batchSize(2).maxEpochs(3)
        .metric("calls", model -> ++calls[0]).build().fit(m, XOR_X, XOR_Y);
    assertEquals(History.Stop.MAX_EPOCHS, h.stop());
    assertEquals(List.of(1.0, 2.0, 3.0),
        h.epochs().stream().map(e -> e.metrics().get("calls")).toList());
  }

  @Test
  void learningRateDecaysAfterEveryEpoch() {
    Optimizer sgd = Optimizer.sgd(0.4);
    Trainer.builder(new Objective(Losses.BINARY_CROSS_ENTROPY_WITH_LOGITS, 0), sgd).batchSize(4)
        .maxEpochs(3).schedule(Schedule.exponential(0.5)).build().fit(xorModel(), XOR_X, XOR_Y);
    assertEquals(0.1, sgd.learningRate(), 1e-17); // 0.4 · 0.5² in the third epoch
    check(() -> Schedule.exponential(1.5), "γ must be in (0, 1], got 1.5");
    check(() -> {
      sgd.learningRate(0);
      return null;
    }, "got 0.0");
  }

  @Test
  void aStepExposesLsAndJ() {
    Mlp m = xorModel();
    double w = m.layers().get(0).W().value().get(0, 0);
    Trainer.Step s = Trainer.builder(new Objective(Losses.BINARY_CROSS_ENTROPY_WITH_LOGITS, 0.2),
        Optimizer.sgd(0.1)).build().step(m, XOR_X, XOR_Y);
    assertEquals(s.L() + s.s(), s.J(), 1e-15);
    assertTrue(s.L() > 0 && s.s() > 0 && s.gradientNorm() > 0);
    assertTrue(w != m.layers().get(0).W().value().get(0, 0)); // the step updated W
  }

  @Test
  void badDataAndSettingsAreRejectedUpFrontWithTheValue() {
    Mlp m = xorModel();
    double[] before = m.parameters().get(0).value().data.clone();
    Objective bce = new Objective(Losses.BINARY_CROSS_ENTROPY_WITH_LOGITS, 0);
    Trainer t = Trainer.builder(bce, Optimizer.sgd(0.1)).batchSize(4).build();
    check(() -> Trainer.builder(bce, Optimizer.sgd(0.1)).batchSize(0), "batch size must be > 0, "
        + "got 0");
    check(() -> Trainer.builder(bce, Optimizer.sgd(0.1)).batchSize(5).build()
        .fit(m, XOR_X, XOR_Y), "batch size 5 is larger than the data set (4 examples)");
    check(() -> new Objective(Losses.MEAN_SQUARED_ERROR, -1), "got -1.0");
    check(() -> Optimizer.sgd(-0.01), "got -0.01");
    check(() -> t.fit(m, XOR_X, new DMatrixRMaj(3, 1)),
        "X has 4 examples but Y has 3 target rows");
    check(() -> t.fit(m, new DMatrixRMaj(0, 2), new DMatrixRMaj(0, 1)), "the data set is empty");
    check(() -> t.fit(m, new DMatrixRMaj(4, 3), XOR_Y), "X has 3 columns but the model takes 2");
    check(() -> t.fit(m, XOR_X, new DMatrixRMaj(4, 2)), "Y has 2 columns but the model has 1");
    check(() -> t.step(m, XOR_X, new DMatrixRMaj(5, 1)), "X has 4 examples but Y has 5");
    check(() -> Trainer.builder(bce, Optimizer.sgd(0.1)).maxEpochs(0), "got 0");
    check(() -> Trainer.builder(bce, Optimizer.sgd(0.1)).tolerance(-1, 0), "ε₁ = -1.0");
    assertArrayEquals(before, m.parameters().get(0).value().data, 0);
  }

  /**
   * A NaN or ∞ anywhere in X or Y is rejected before the first step, naming the matrix, the row
   * and the column, with every parameter as it was: the same for fit and for step.
   */
  @Test
  void nonFiniteDataIsRejectedUpFrontNamingItsPlaceWithTheModelUntouched() {
    DMatrixRMaj[] data = regression();
    Mlp m = Mlp.builder(3).hidden(6, Activation.RELU).output(1).seed(4).build();
    List<double[]> before = m.parameters().stream().map(p -> p.value().data.clone()).toList();
    Trainer t = Trainer.builder(new Objective(Losses.MEAN_SQUARED_ERROR, 0), Optimizer.adam(0.01))
        .batchSize(8).build();
    DMatrixRMaj X = data[0].copy();
    X.set(37, 2, Double.NaN);
    check(() -> t.fit(m, X, data[1]), "X has NaN at row 37, column 2: training data must be"
        + " finite; nothing was changed");
    DMatrixRMaj Y = data[1].copy();
    Y.set(63, 0, Double.NEGATIVE_INFINITY);
    check(() -> t.fit(m, data[0], Y), "Y has -Infinity at row 63, column 0");
    check(() -> t.step(m, X, data[1]), "X has NaN at row 37, column 2");
    for (int k = 0; k < before.size(); k++) {
      assertArrayEquals(before.get(k), m.parameters().get(k).value().data, 0);
    }
  }

  /**
   * Exponential decay by γ = 0.5 reaches 0 after about a thousand epochs in doubles: the rate
   * stops at the smallest normal double instead, and fit runs every epoch it was given.
   */
  @Test
  void aDecayingLearningRateNeverBecomesInvalid() {
    Optimizer sgd = Optimizer.sgd(0.1);
    History h = Trainer.builder(new Objective(Losses.BINARY_CROSS_ENTROPY_WITH_LOGITS, 0), sgd)
        .batchSize(4).maxEpochs(1100).schedule(Schedule.exponential(0.5)).build()
        .fit(xorModel(), XOR_X, XOR_Y);
    assertEquals(1100, h.epochs().size());
    assertEquals(Double.MIN_NORMAL, sgd.learningRate(), 0);
  }

  static void check(Supplier<?> s, String expected) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, s::get);
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
