package dev.autodiff.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ScheduleTest {
  @Test
  void factorsAreTheClosedForms() {
    Schedule step = Schedule.step(2, 0.1);
    assertEquals(1, step.factor(0, 0));
    assertEquals(1, step.factor(9, 1.99));
    assertEquals(0.1, step.factor(10, 2), 1e-17);
    assertEquals(0.010000000000000002, step.factor(50, 5.5), 0);

    Schedule exp = Schedule.exponential(0.5);
    assertEquals(1, exp.factor(3, 0.75));
    assertEquals(0.125, exp.factor(30, 3.2));

    Schedule cos = Schedule.cosine(10, 0.1);
    assertEquals(1, cos.factor(0, 0));
    assertEquals(0.55, cos.factor(0, 5), 1e-15); // 0.1 + 0.9 · (1 + cos π/2)/2
    assertEquals(0.1, cos.factor(0, 10), 1e-15);
    assertEquals(0.1, cos.factor(0, 25), 1e-15); // stays at the floor

    Schedule warm = Schedule.warmUp(4);
    assertEquals(0.25, warm.factor(0, 0));
    assertEquals(1, warm.factor(3, 0));
    assertEquals(1, warm.factor(100, 7));
    assertEquals(0.5 * 0.55, warm.times(cos).factor(1, 5), 1e-15);
    assertEquals(1, Schedule.constant().factor(7, 7));
  }

  @Test
  void badSettingsAreRejectedWithTheValue() {
    for (Runnable r : new Runnable[] {() -> Schedule.step(0, 0.5), () -> Schedule.step(1, 0),
        () -> Schedule.exponential(1.5), () -> Schedule.exponential(Double.NaN),
        () -> Schedule.cosine(0, 0.1), () -> Schedule.cosine(5, 1), () -> Schedule.warmUp(0)}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
      assertTrue(e.getMessage().contains("got"), e.getMessage());
    }
  }

  /** A factor of 0, a NaN or ∞ never reaches the optimizer: the rate stays a valid one. */
  @Test
  void aScheduleCannotMakeAnInvalidRate() {
    for (double bad : new double[] {0, -1, Double.NaN}) {
      Optimizer sgd = Optimizer.sgd(0.1);
      Trainer.builder(new Objective(Losses.MEAN_SQUARED_ERROR, 0), sgd).batchSize(4).maxEpochs(2)
          .schedule((step, epochs) -> bad).build()
          .fit(TrainerTest.xorModel(), TrainerTest.XOR_X, TrainerTest.XOR_Y);
      assertEquals(Double.MIN_NORMAL, sgd.learningRate(), 0);
    }
    Optimizer sgd = Optimizer.sgd(0.1);
    Trainer.builder(new Objective(Losses.MEAN_SQUARED_ERROR, 0), sgd).batchSize(4).maxEpochs(1)
        .schedule((step, epochs) -> Double.POSITIVE_INFINITY).build()
        .fit(TrainerTest.xorModel(), TrainerTest.XOR_X, TrainerTest.XOR_Y);
    assertEquals(Double.MAX_VALUE, sgd.learningRate(), 0);
  }
}
