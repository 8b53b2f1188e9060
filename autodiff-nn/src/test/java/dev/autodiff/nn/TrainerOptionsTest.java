package dev.autodiff.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The trainer's options: checkpoints, accumulation, clipping, schedules, early stopping, … */
class TrainerOptionsTest {
  @TempDir
  Path dir;

  static final Data DATA = classes(60, 11);

  /** n examples of 3 features in 3 classes (the largest of three linear scores), one-hot. */
  static Data classes(int n, long seed) {
    Random r = new Random(seed);
    DMatrixRMaj X = Matrices.random(r, n, 3);
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
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

  static Trainer.Builder builder(Optimizer o, int epochs) {
    return Trainer.builder(new Objective(Losses.SOFTMAX_CROSS_ENTROPY_WITH_LOGITS, 1e-3), o)
        .batchSize(8).maxEpochs(epochs).seed(3)
        .schedule(Schedule.warmUp(5).times(Schedule.cosine(epochs, 0.1)));
  }

  static void assertSameParameters(Module a, Module b) {
    List<Parameter> p = a.parameters();
    List<Parameter> q = b.parameters();
    for (int i = 0; i < p.size(); i++) {
      assertArrayEquals(p.get(i).value().data, q.get(i).value().data, 0, p.get(i).name());
    }
  }

  /**
   * Six epochs straight, or three, a checkpoint, and three more in a new model and optimizer
   * resumed from it: the same parameters, bit for bit, with Adam's moments and a schedule.
   */
  @ParameterizedTest
  @ValueSource(strings = {"adam", "adamW", "nesterov", "rmsprop"})
  void trainingResumedFromACheckpointContinuesBitForBit(String kind) throws Exception {
    Mlp straight = model(1);
    History all = builder(optimizer(kind), 6).build().fit(straight, DATA);

    Path file = dir.resolve("checkpoint.bin");
    Mlp first = model(1);
    builder(optimizer(kind), 6).checkpoint(file, 3).maxEpochs(3).build().fit(first, DATA);
    // maxEpochs(3) would end the cosine early: the schedule is the 6-epoch run's, as when killed
    Mlp resumed = model(2);
    History rest = builder(optimizer(kind), 6).build().resume(file, resumed, DATA);

    assertEquals(List.of(4, 5, 6), rest.epochs().stream().map(History.Epoch::epoch).toList());
    assertEquals(all.epochs().subList(3, 6).stream().map(History.Epoch::J).toList(),
        rest.epochs().stream().map(History.Epoch::J).toList());
    assertSameParameters(straight, resumed);
  }

  /**
   * A run killed at step 13 (the schedule throws there) resumes from the checkpoint written at
   * step 10, in the middle of the second epoch: the same parameters and the same epoch records
   * (L, s, J, ‖∇J‖) as the run that was never stopped.
   */
  @Test
  void aCheckpointWithinAnEpochResumesBitForBit() throws Exception {
    Schedule cosine = Schedule.cosine(4, 0.1);
    Mlp straight = model(1);
    History all = builder(Optimizer.adam(0.05), 4).schedule(cosine).build().fit(straight, DATA);

    Path file = dir.resolve("steps.bin");
    Schedule dies = (step, epochs) -> {
      if (step == 13) {
        throw new IllegalStateException("killed");
      }
      return cosine.factor(step, epochs);
    };
    assertThrows(IllegalStateException.class, () -> builder(Optimizer.adam(0.05), 4)
        .schedule(dies).checkpointSteps(file, 5).build().fit(model(1), DATA));
    assertEquals(10, ModelFile.read(file).position().steps());
    assertEquals(2, ModelFile.read(file).position().batches()); // 8 batches an epoch

    Mlp resumed = model(2);
    History rest = builder(Optimizer.adam(0.05), 4).schedule(cosine).build()
        .resume(file, resumed, DATA);
    assertEquals(all.epochs().subList(1, 4).stream().map(e -> List.of(e.L(), e.s(), e.J(),
        e.gradientNorm())).toList(), rest.epochs().stream().map(e -> List.of(e.L(), e.s(),
        e.J(), e.gradientNorm())).toList());
    assertSameParameters(straight, resumed);
  }

  static Optimizer optimizer(String kind) {
    return switch (kind) {
      case "adam" -> Optimizer.adam(0.05);
      case "adamW" -> Optimizer.adamW(0.05, 0.01);
      case "nesterov" -> Optimizer.nesterov(0.2, 0.9);
      default -> Optimizer.rmsprop(0.01);
    };
  }

  @Test
  void aCheckpointForAnotherOptimizerIsRejectedAndNothingChanges() throws Exception {
    Path file = dir.resolve("checkpoint.bin");
    builder(Optimizer.adam(0.05), 2).checkpoint(file, 1).build().fit(model(1), DATA);
    Mlp m = model(2);
    DMatrixRMaj before = m.parameters().get(0).value().copy();
    ModelFileException e = assertThrows(ModelFileException.class,
        () -> builder(Optimizer.sgd(0.1), 4).build().resume(file, m, DATA));
    assertTrue(e.getMessage().contains("the file holds the state of Adam(β₁ = 0.9, β₂ = 0.999, "
        + "ε = 1.0E-8), but the optimizer to load into is SGD()"), e.getMessage());
    assertArrayEquals(before.data, m.parameters().get(0).value().data, 0);

    Path plain = dir.resolve("plain.bin");
    ModelFile.save(m, plain);
    e = assertThrows(ModelFileException.class,
        () -> builder(Optimizer.adam(0.05), 4).build().resume(plain, m, DATA));
    assertTrue(e.getMessage().contains("not a checkpoint"), e.getMessage());
  }

  /**
   * A batch's gradient summed over micro-batches of uneven sizes (8 as 3 + 3 + 2) equals the
   * whole batch's to 1e-12, for a mean loss and for a summed one, both with a penalty: one SGD
   * step with α = 1 moves θ by exactly the gradient.
   */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void accumulatedMicroBatchesGiveTheBigBatchGradient(boolean meanLoss) {
    Loss loss = meanLoss ? Losses.SOFTMAX_CROSS_ENTROPY_WITH_LOGITS : Losses.HALF_SQUARED_ERROR;
    DMatrixRMaj X = DATA.X();
    DMatrixRMaj Y = DATA.Y();
    DMatrixRMaj x = org.ejml.dense.row.CommonOps_DDRM.extract(X, 0, 8, 0, 3);
    DMatrixRMaj y = org.ejml.dense.row.CommonOps_DDRM.extract(Y, 0, 8, 0, 3);
    Mlp big = model(1);
    Mlp accumulated = model(1);
    Trainer.Step a = Trainer.builder(new Objective(loss, 0.1), Optimizer.sgd(1)).batchSize(8)
        .build().step(big, x, y);
    Trainer.Step b = Trainer.builder(new Objective(loss, 0.1), Optimizer.sgd(1)).batchSize(8)
        .accumulate(3).build().step(accumulated, x, y);
    assertEquals(a.J(), b.J(), 1e-12 * Math.abs(a.J()));
    assertEquals(a.gradientNorm(), b.gradientNorm(), 1e-12 * a.gradientNorm());
    Mlp start = model(1);
    for (int i = 0; i < start.parameters().size(); i++) {
      double[] t0 = start.parameters().get(i).value().data;
      double[] t1 = big.parameters().get(i).value().data;
      double[] t2 = accumulated.parameters().get(i).value().data;
      for (int k = 0; k < t0.length; k++) {
        double g = t0[k] - t1[k];
        assertEquals(g, t0[k] - t2[k], 1e-12 * Math.max(1, Math.abs(g)));
      }
    }
  }

  /** Clipping by norm makes ‖Δθ‖ = max for SGD with α = 1; by value, each |Δθ| = min(|g|, v). */
  @Test
  void clippingBoundsTheStep() {
    DMatrixRMaj x = org.ejml.dense.row.CommonOps_DDRM.extract(DATA.X(), 0, 8, 0, 3);
    DMatrixRMaj y = org.ejml.dense.row.CommonOps_DDRM.extract(DATA.Y(), 0, 8, 0, 3);
    Objective o = new Objective(Losses.SOFTMAX_CROSS_ENTROPY_WITH_LOGITS, 0);
    Mlp free = model(1);
    Trainer.Step s = Trainer.builder(o, Optimizer.sgd(1)).batchSize(8).build().step(free, x, y);
    double max = s.gradientNorm() / 3;
    Mlp byNorm = model(1);
    Trainer.builder(o, Optimizer.sgd(1)).batchSize(8).clipNorm(max).build().step(byNorm, x, y);
    Mlp byValue = model(1);
    double v = 0.01;
    Trainer.builder(o, Optimizer.sgd(1)).batchSize(8).clipValue(v).build().step(byValue, x, y);
    Mlp start = model(1);
    double squared = 0;
    for (int i = 0; i < start.parameters().size(); i++) {
      double[] t0 = start.parameters().get(i).value().data;
      for (int k = 0; k < t0.length; k++) {
        double g = t0[k] - free.parameters().get(i).value().data[k];
        double n = t0[k] - byNorm.parameters().get(i).value().data[k];
        squared += n * n;
        assertEquals(g / 3, n, 1e-15); // the same direction, a third of the length
        assertEquals(Math.signum(g) * Math.min(Math.abs(g), v),
            t0[k] - byValue.parameters().get(i).value().data[k], 1e-15);
      }
    }
    assertEquals(max, Math.sqrt(squared), 1e-14);
  }

  /**
   * Early stopping on a validation set whose labels contradict the training set's: its loss rises
   * as training succeeds, so the best epoch is an early one, and training stops after the
   * patience and restores that epoch's parameters.
   */
  @Test
  void earlyStoppingRestoresTheBestParameters() {
    Data validation = Data.of(DATA.X(), flip(DATA.Y()));
    Mlp m = model(1);
    History h = builder(Optimizer.adam(0.05), 50).earlyStopping(validation, 3).build()
        .fit(m, DATA);
    assertEquals(History.Stop.EARLY_STOPPING, h.stop());
    double best = h.epochs().stream().mapToDouble(History.Epoch::validationL).min().orElseThrow();
    int bestEpoch = h.epochs().stream().filter(e -> e.validationL() == best).findFirst()
        .orElseThrow().epoch();
    assertEquals(bestEpoch + 3, h.last().epoch());
    assertEquals(best, loss(m, validation), 0);
  }

  static double loss(Module m, Data d) {
    try (dev.autodiff.core.Tape t = new dev.autodiff.core.Tape()) {
      return Losses.SOFTMAX_CROSS_ENTROPY_WITH_LOGITS.apply(m.logits(t.constant("X", d.X()),
          Bindings.constants(t, m)), t.constant("Y", d.Y())).scalar();
    }
  }

  /** Each row's one-hot label moved to the next class. */
  static DMatrixRMaj flip(DMatrixRMaj Y) {
    DMatrixRMaj f = new DMatrixRMaj(Y.numRows, Y.numCols);
    for (int i = 0; i < Y.numRows; i++) {
      for (int j = 0; j < Y.numCols; j++) {
        f.set(i, (j + 1) % Y.numCols, Y.get(i, j));
      }
    }
    return f;
  }

  @Test
  void dropLastSkipsTheShortBatch() {
    Optimizer o = Optimizer.sgd(0.1);
    Trainer.builder(new Objective(Losses.MEAN_SQUARED_ERROR, 0), o).batchSize(16).maxEpochs(2)
        .dropLast(true).build().fit(model(1), DATA); // 60 = 3·16 + 12
    assertEquals(6, o.steps());
    Optimizer all = Optimizer.sgd(0.1);
    Trainer.builder(new Objective(Losses.MEAN_SQUARED_ERROR, 0), all).batchSize(16).maxEpochs(2)
        .build().fit(model(1), DATA);
    assertEquals(8, all.steps());
  }

  /** Off a terminal (as under Maven), progress is a line per epoch on stderr. */
  @Test
  void progressOffATerminalIsALinePerEpoch() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream saved = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      builder(Optimizer.adam(0.01), 3).progress(true).build().fit(model(1), DATA);
    } finally {
      System.setErr(saved);
    }
    String[] lines = err.toString(StandardCharsets.UTF_8).split("\n");
    assertEquals(3, lines.length, String.join("\n", lines));
    assertTrue(lines[2].matches("epoch 3/3  J [0-9.e-]+  L [0-9.e-]+  s [0-9.e-]+  [0-9.]+ s"),
        lines[2]);
  }

  @Test
  void aCheckpointIsWrittenEveryKEpochs() throws Exception {
    Path file = dir.resolve("every2.bin");
    builder(Optimizer.adam(0.05), 3).checkpoint(file, 2).build().fit(model(1), DATA);
    assertEquals(2, ModelFile.read(file).position().epochs());
    try (var files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList());
    }
  }
}
