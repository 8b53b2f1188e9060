package dev.autodiff.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.autodiff.nn.Activation;
import dev.autodiff.nn.Data;
import dev.autodiff.nn.Idx;
import dev.autodiff.nn.Losses;
import dev.autodiff.nn.Mlp;
import dev.autodiff.nn.ModelFile;
import dev.autodiff.nn.Objective;
import dev.autodiff.nn.OneHot;
import dev.autodiff.nn.Optimizer;
import dev.autodiff.nn.Schedule;
import dev.autodiff.nn.Trainer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkFashionMnistTest {
  static final Path DATA = Path.of("/usr/share/datasets/fashion-mnist");

  /** A tiny run on the real data: the weights and the test accuracy of one machine. */
  @Test
  void aTinyRunTrainsAsOneMachine(@TempDir Path dir) throws IOException {
    assumeTrue(Files.isDirectory(DATA), "Debian's dataset-fashion-mnist is not installed");
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    SparkFashionMnist.Result r = SparkFashionMnist.run(new String[] {"--master", "local[2]",
        "--partitions", "3", "--epochs", "2", "--limit", "600", "--batch", "100", "--out",
        dir.toString()}, new PrintStream(text, true, StandardCharsets.UTF_8));
    String out = text.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("600 training images in 3 partitions on local[2]"), out);
    assertTrue(Files.isRegularFile(dir.resolve("spark-fashion-mnist.model")), out);

    DMatrixRMaj X = Idx.readImages(DATA.resolve(SparkFashionMnist.FILES[0]));
    int[] labels = Arrays.copyOf(Idx.readLabels(DATA.resolve(SparkFashionMnist.FILES[1])), 600);
    Data train = Data.of(CommonOps_DDRM.extract(X, 0, 600, 0, 784), OneHot.encode(labels, 10));
    DMatrixRMaj testX = Idx.readImages(DATA.resolve(SparkFashionMnist.FILES[2]));
    int[] testLabels = Idx.readLabels(DATA.resolve(SparkFashionMnist.FILES[3]));
    Mlp one = Mlp.builder(784).hidden(256, Activation.RELU).output(10).seed(42).build();
    Trainer.builder(new Objective(Losses.SOFTMAX_CROSS_ENTROPY_WITH_LOGITS, 0),
            Optimizer.adam(2e-3))
        .batchSize(100).maxEpochs(2).seed(42).schedule(Schedule.exponential(0.5)).build()
        .fit(one, train);
    assertTrue(Fixtures.largestDifference(one, r.model()) < 1e-10);
    assertEquals(OneHot.accuracy(one.classify(testX), testLabels), r.testAccuracy());
    assertTrue(r.testAccuracy() > 0.6, "test accuracy " + r.testAccuracy());
    Fixtures.assertSameBits(r.model(), ModelFile.load(dir.resolve("spark-fashion-mnist.model")));
  }

  @Test
  void badOptionsAndMissingDataAreNamedBeforeSparkStarts(@TempDir Path dir) {
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true,
        StandardCharsets.UTF_8);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SparkFashionMnist.run(new String[] {"--epoch", "1"}, quiet));
    assertTrue(e.getMessage().startsWith("unknown option '--epoch'; options: --master, "),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> SparkFashionMnist.run(new String[] {"--batch", "many"}, quiet));
    assertEquals("--batch needs a number, got 'many'", e.getMessage());
    IllegalStateException s = assertThrows(IllegalStateException.class,
        () -> SparkFashionMnist.run(new String[] {"--data", dir.toString()}, quiet));
    assertTrue(s.getMessage().contains("sudo apt-get install dataset-fashion-mnist"),
        s.getMessage());
  }
}
