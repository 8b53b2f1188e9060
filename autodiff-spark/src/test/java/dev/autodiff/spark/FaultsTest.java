package dev.autodiff.spark;

import static dev.autodiff.spark.Fixtures.CE;
import static dev.autodiff.spark.Fixtures.DATA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autodiff.nn.Mlp;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Failures survived with nothing lost: a failed task, a killed driver. */
class FaultsTest {
  static JavaSparkContext sc;

  @BeforeAll
  static void start() {
    sc = Fixtures.spark("local[2,4]"); // two threads; a task may be tried 4 times
  }

  @AfterAll
  static void stop() {
    sc.stop();
  }

  /** Partition 1's task fails on its first attempt at step 2; Spark runs it again. */
  @Test
  void aFailedTaskIsRetriedAndTheTrainingIsTheSameBitForBit() {
    Mlp undisturbed = Fixtures.model(1);
    try (SparkGradientSource source = SparkGradientSource.of(sc, DATA, 3, CE,
        Fixtures.factory())) {
      Fixtures.trainer(CE, 1).fit(undisturbed, source);
    }
    Mlp disturbed = Fixtures.model(1);
    int before = SparkGradientSource.Fault.FIRED.get();
    try (SparkGradientSource source = SparkGradientSource.of(sc, DATA, 3, CE,
        Fixtures.factory())) {
      source.failFirstAttempt(1, 2);
      Fixtures.trainer(CE, 1).fit(disturbed, source);
    }
    assertEquals(1, SparkGradientSource.Fault.FIRED.get() - before, "the injected failure");
    Fixtures.assertSameBits(undisturbed, disturbed);
  }

  /**
   * A driver in a JVM of its own writes a checkpoint every three steps and is killed (SIGKILL) in
   * its second epoch; training resumed here from the checkpoint of step 6, within that epoch, ends
   * with the undisturbed run's parameters and epoch records, bit for bit.
   */
  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES) // a guard against a hang, not a measurement
  void aKilledDriverResumesFromItsCheckpointBitForBit(@TempDir Path dir)
      throws IOException, InterruptedException {
    Path checkpoint = dir.resolve("run.checkpoint");
    Process driver = new ProcessBuilder(command(checkpoint)).redirectErrorStream(true).start();
    List<String> output = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(driver.getInputStream(),
        StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null && !line.equals(KilledDriver.READY);
          line = out.readLine()) {
        output.add(line);
      }
      assertTrue(driver.isAlive(), "the driver ended before its second epoch:\n"
          + String.join("\n", output));
      driver.destroyForcibly();
      driver.waitFor();
    }
    assertTrue(Files.isRegularFile(checkpoint), "no checkpoint from the killed driver");

    try (SparkGradientSource source = SparkGradientSource.of(sc, DATA, 3, CE,
        Fixtures.factory())) {
      Mlp undisturbed = Fixtures.model(1);
      var all = Fixtures.trainer(CE, KilledDriver.EPOCHS).fit(undisturbed, source);
      Mlp resumed = Fixtures.model(7); // other values: the checkpoint restores them
      var history = Fixtures.trainer(CE, KilledDriver.EPOCHS).resume(checkpoint, resumed,
          source);
      assertEquals(KilledDriver.EPOCHS - 1, history.epochs().size(), "epochs run after resuming");
      assertEquals(all.epochs().subList(1, KilledDriver.EPOCHS).stream()
          .map(e -> java.util.List.of(e.L(), e.s(), e.J(), e.gradientNorm())).toList(),
          history.epochs().stream()
              .map(e -> java.util.List.of(e.L(), e.s(), e.J(), e.gradientNorm())).toList());
      Fixtures.assertSameBits(undisturbed, resumed);
    }
  }

  /** java, this JVM's options (Spark's flags among them) and class path, KilledDriver. */
  private static List<String> command(Path checkpoint) {
    List<String> c = new ArrayList<>();
    c.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    c.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    c.add("-cp");
    c.add(System.getProperty("java.class.path"));
    c.add(KilledDriver.class.getName());
    c.add(checkpoint.toString());
    return c;
  }
}
