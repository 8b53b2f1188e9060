package dev.autodiff.spark;

import dev.autodiff.nn.Losses;
import java.nio.file.Path;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The driver FaultsTest kills: trains FaultsTest's model with a checkpoint after every epoch, and
 * in the second epoch's metrics, after the first checkpoint, says {@link #READY} and waits to be
 * killed.
 */
final class KilledDriver {
  static final String READY = "ready to be killed";
  static final int EPOCHS = 4;

  private KilledDriver() {}

  public static void main(String[] args) throws InterruptedException {
    JavaSparkContext sc = Fixtures.spark("local[2]");
    SparkGradientSource source = SparkGradientSource.of(sc, Fixtures.DATA, 3,
        Losses.SOFTMAX_CROSS_ENTROPY_WITH_LOGITS, Fixtures.factory());
    int[] epoch = {0};
    Fixtures.builder(Losses.SOFTMAX_CROSS_ENTROPY_WITH_LOGITS, EPOCHS, 18)
        .checkpoint(Path.of(args[0]), 1)
        .metric("wait", m -> {
          if (++epoch[0] == 2) {
            System.out.println(READY);
            System.out.flush();
            try {
              Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          return 0;
        }).build().fit(Fixtures.model(1), source);
    throw new IllegalStateException("training ended: the driver was to be killed first");
  }
}
