package dev.autodiff.spark;

import dev.autodiff.nn.Activation;
import dev.autodiff.nn.Data;
import dev.autodiff.nn.History;
import dev.autodiff.nn.Idx;
import dev.autodiff.nn.Losses;
import dev.autodiff.nn.Mlp;
import dev.autodiff.nn.ModelFile;
import dev.autodiff.nn.Objective;
import dev.autodiff.nn.OneHot;
import dev.autodiff.nn.Optimizer;
import dev.autodiff.nn.Schedule;
import dev.autodiff.nn.Trainer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The fashion-mnist example on Spark: the same 784-256-10 relu MLP and settings (Adam α = 2·10⁻³
 * halved after each epoch, batch 32, 5 epochs, seed 42), its training set spread over the
 * partitions of an RDD and trained through a {@link SparkGradientSource}; the test accuracy after
 * each epoch, on the driver. The weights are those one machine trains, to rounding.
 *
 * <pre>
 * mvn -B -q -pl autodiff-spark -am -DskipTests package exec:exec@spark -Dspark.args="--epochs 1"
 * spark-submit --master spark://HOST:7077 --class dev.autodiff.spark.SparkFashionMnist \
 *     autodiff-spark/target/autodiff-spark-0.1.0-SNAPSHOT-app.jar --partitions 8
 * </pre>
 *
 * <p>Options: {@code --master} (default: spark-submit's, else {@code local[*]}), {@code
 * --partitions} (default: Spark's default parallelism), {@code --data}, {@code --out}, {@code
 * --epochs}, {@code --batch}, {@code --lr}, {@code --decay}, {@code --lambda}, {@code --seed},
 * {@code --limit} (the first N training images only), {@code --weights} (where the trained model
 * is saved; default OUT/spark-fashion-mnist.model).
 */
public final class SparkFashionMnist {
  static final String[] FILES = {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
      "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"};
  private static final List<String> OPTIONS = List.of("master", "partitions", "data", "out",
      "epochs", "batch", "lr", "decay", "lambda", "seed", "limit", "weights");

  private SparkFashionMnist() {}

  public static void main(String[] args) throws IOException {
    try {
      run(args, System.out);
    } catch (IllegalArgumentException | IllegalStateException e) {
      System.err.println("spark-fashion-mnist: " + e.getMessage());
      System.exit(1);
    }
  }

  /** The trained model and its test accuracy. */
  record Result(Mlp model, double testAccuracy) {}

  static Result run(String[] args, PrintStream out) throws IOException {
    Map<String, String> o = options(args);
    Path data = Path.of(o.getOrDefault("data", "/usr/share/datasets/fashion-mnist"));
    Path outDir = Path.of(o.getOrDefault("out", "target/examples"));
    int epochs = (int) number(o, "epochs", 5);
    int batch = (int) number(o, "batch", 32);
    double lr = number(o, "lr", 2e-3);
    double decay = number(o, "decay", 0.5);
    double lambda = number(o, "lambda", 0);
    long seed = (long) number(o, "seed", 42);
    for (String f : FILES) {
      if (!Files.isRegularFile(data.resolve(f))) {
        throw new IllegalStateException("Fashion-MNIST not found: " + data.resolve(f)
            + " is missing.\nInstall it with: sudo apt-get install dataset-fashion-mnist\n"
            + "or pass --data DIR with the four IDX files (" + String.join(", ", FILES) + ")");
      }
    }
    DMatrixRMaj trainX = Idx.readImages(data.resolve(FILES[0]));
    int[] trainLabels = Idx.readLabels(data.resolve(FILES[1]));
    DMatrixRMaj testX = Idx.readImages(data.resolve(FILES[2]));
    int[] testLabels = Idx.readLabels(data.resolve(FILES[3]));
    if (o.containsKey("limit")) {
      int n = Math.min((int) number(o, "limit", 0), trainX.numRows);
      trainX = CommonOps_DDRM.extract(trainX, 0, n, 0, trainX.numCols);
      trainLabels = Arrays.copyOf(trainLabels, n);
    }
    Data train = Data.of(trainX, OneHot.encode(trainLabels, 10));

    SparkConf conf = new SparkConf().setAppName("spark-fashion-mnist");
    if (o.containsKey("master") || !conf.contains("spark.master")) {
      conf.setMaster(o.getOrDefault("master", "local[*]"));
    }
    JavaSparkContext sc = new JavaSparkContext(conf);
    try {
      int partitions = (int) number(o, "partitions", sc.defaultParallelism());
      ModelFactory factory = () -> Mlp.builder(784).hidden(256, Activation.RELU).output(10)
          .seed(seed).build();
      try (SparkGradientSource source = SparkGradientSource.of(sc, train, partitions,
          Losses.SOFTMAX_CROSS_ENTROPY_WITH_LOGITS, factory)) {
        out.printf("Fashion-MNIST from %s: %d training images in %d partitions on %s, %d test "
                + "images%n", data, train.size(), source.partitions(), sc.master(),
            testX.numRows);
        Mlp model = (Mlp) factory.create();
        Trainer trainer = Trainer.builder(
                new Objective(Losses.SOFTMAX_CROSS_ENTROPY_WITH_LOGITS, lambda),
                Optimizer.adam(lr))
            .batchSize(batch).maxEpochs(epochs).seed(seed).schedule(Schedule.exponential(decay))
            .progress(true)
            .metric("test accuracy", m -> OneHot.accuracy(m.classify(testX), testLabels))
            .build();
        out.printf("model %s, Adam α = %s (×%s after each epoch), batch %d, λ = %s, %d epochs%n",
            model.architecture(), lr, decay, batch, lambda, epochs);
        History h = trainer.fit(model, source);
        out.println("epoch    train L    train J   test acc   seconds");
        for (History.Epoch e : h.epochs()) {
          out.printf("%5d  %9.5f  %9.5f   %8.4f   %7.1f%n", e.epoch(), e.L(), e.J(),
              e.metrics().get("test accuracy"), e.seconds());
        }
        double accuracy = h.last().metrics().get("test accuracy");
        out.printf("test accuracy after %d epochs: %.2f%%%n", h.epochs().size(), 100 * accuracy);
        Path weights = Path.of(o.getOrDefault("weights",
            outDir.resolve("spark-fashion-mnist.model").toString()));
        ModelFile.save(model, weights);
        out.println("saved the model to " + weights);
        return new Result(model, accuracy);
      }
    } finally {
      sc.stop();
    }
  }

  /** The option's value as a number, the fallback when it is not given. */
  private static double number(Map<String, String> o, String name, double fallback) {
    String v = o.get(name);
    try {
      return v == null ? fallback : Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " needs a number, got '" + v + "'");
    }
  }

  /** {@code --name value} pairs, each name one of OPTIONS. */
  private static Map<String, String> options(String[] args) {
    Map<String, String> o = new HashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      String name = args[i].startsWith("--") ? args[i].substring(2) : "";
      if (!OPTIONS.contains(name) || i + 1 == args.length) {
        throw new IllegalArgumentException((OPTIONS.contains(name) ? "option " + args[i]
            + " needs a value" : "unknown option '" + args[i] + "'") + "; options: --"
            + String.join(", --", OPTIONS));
      }
      o.put(name, args[i + 1]);
    }
    return o;
  }
}
