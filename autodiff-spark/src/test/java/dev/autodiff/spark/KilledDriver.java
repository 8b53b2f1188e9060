package dev.autodiff.spark;

import dev.autodiff.nn.Losses;
import dev.autodiff.nn.Schedule;
import java.nio.file.Path;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The driver FaultsTest kills: trains FaultsTest's model (five steps an epoch) with a checkpoint
 * every three steps, and before step 7 — in the second epoch, after the checkpoint of step 6 —
 * says {@link #READY} and waits to be killed.
 */
final class KilledDriver {
  static final String READY = "ready to be killed";
  static final int EPOCHS = 4;

  private KilledDriver() {}

  public static void main(String[] args) throws InterruptedException {
    JavaSparkContext sc = Fixtures.spark("local[2]");
    SparkGradientSource source = SparkGradientSource.of(sc, Fixtures.DATA, 3,
        Losses.SOFTMAX_CROSS_ENTROPY_WITH_LOGITS, Fixtures.factory());
    Schedule warmUp = Schedule.warmUp(3); // Fixtures.builder's
    Fixtures.builder(Losses.SOFTMAX_CROSS_ENTROPY_WITH_LOGITS, EPOCHS, 18)
        .checkpointSteps(Path.of(args[0]), 3)
        .schedule((step, epochs) -> {
          if (step == 7) {
            System.out.println(READY);
            System.out.flush();
            try {
              Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          return warmUp.factor(step, epochs);
        }).build().fit(Fixtures.model(1), source);
    throw new IllegalStateException("training ended: the driver was to be killed first");
  }
}
