package dev.autodiff.spark;

import dev.autodiff.nn.Activation;
import dev.autodiff.nn.Data;
import dev.autodiff.nn.Losses;
import dev.autodiff.nn.Mlp;
import dev.autodiff.nn.Objective;
import dev.autodiff.nn.Optimizer;
import dev.autodiff.nn.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.ejml.data.DMatrixRMaj;

/**
 * The time of one training step on Spark against one JVM's {@link Trainer#step}, in the same JVM:
 * a relu MLP (784-1024-1024-10 unless {@code --sizes} says otherwise) on a batch of 1024 seeded
 * Gaussian rows, SGD on the mean squared error. For each master (local[1], local[2]) a Spark
 * context is started with one partition per core and the whole data set one batch, so every step
 * is the whole data; then in each round a block of steps on one JVM and a block on Spark take
 * turns (which goes first alternates), and the round's ratio is Spark's time per step ÷ one
 * JVM's. Writes the times, the ratios and the machine's load as JSON for the report
 * (autodiff-benchmarks/run writes docs/PERFORMANCE.md from it).
 *
 * <p>Options: {@code --out FILE} (required), {@code --sizes 784-1024-1024-10}, {@code --batch
 * 1024}, {@code --rounds 7}, {@code --warmup 2} (rounds not counted), {@code --steps 3} (per
 * block), {@code --masters local[1],local[2]}.
 */
public final class StepBenchmark {
  private StepBenchmark() {}

  /** One master's rounds: milliseconds per step on Spark and on one JVM, and their ratios. */
  record Mode(String master, int partitions, double[] sparkMs, double[] singleMs,
      double[] ratios, double emptyJobMs) {}

  public static void main(String[] args) throws IOException {
    List<String> a = Arrays.asList(args);
    Path out = Path.of(option(a, "out", null));
    int[] sizes = Arrays.stream(option(a, "sizes", "784-1024-1024-10").split("-"))
        .mapToInt(Integer::parseInt).toArray();
    int batch = Integer.parseInt(option(a, "batch", "1024"));
    int rounds = Integer.parseInt(option(a, "rounds", "7"));
    int warmup = Integer.parseInt(option(a, "warmup", "2"));
    int steps = Integer.parseInt(option(a, "steps", "3"));
    String load = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];

    Data data = gaussian(batch, sizes[0], sizes[sizes.length - 1]);
    List<Mode> modes = new ArrayList<>();
    for (String master : option(a, "masters", "local[1],local[2]").split(",")) {
      modes.add(measure(master, sizes, data, rounds, warmup, steps));
    }
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, json(sizes, batch, load, rounds, warmup, steps, modes,
        serializationMs(sizes)));
    System.out.println("wrote " + out);
  }

  private static Mode measure(String master, int[] sizes, Data data, int rounds, int warmup,
      int steps) {
    JavaSparkContext sc = new JavaSparkContext(new SparkConf().setMaster(master)
        .setAppName("step-benchmark").set("spark.ui.enabled", "false")
        .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1"));
    try {
      int partitions = sc.defaultParallelism();
      ModelFactory factory = () -> mlp(sizes);
      try (SparkGradientSource source = SparkGradientSource.of(sc, data, partitions,
          Losses.MEAN_SQUARED_ERROR, factory)) {
        Mlp one = mlp(sizes);
        Mlp spark = mlp(sizes);
        Trainer single = trainer(data.size(), 1);
        Trainer distributed = trainer(data.size(), steps);
        double[] sparkMs = new double[rounds];
        double[] singleMs = new double[rounds];
        double[] ratios = new double[rounds];
        for (int r = -warmup; r < rounds; r++) {
          double s;
          double p;
          if ((r & 1) == 0) {
            s = time(() -> repeat(steps, () -> single.step(one, data.X(), data.Y())), steps);
            p = time(() -> distributed.fit(spark, source), steps);
          } else {
            p = time(() -> distributed.fit(spark, source), steps);
            s = time(() -> repeat(steps, () -> single.step(one, data.X(), data.Y())), steps);
          }
          System.out.printf(Locale.ROOT, "%s %s: one JVM %.1f ms, Spark %.1f ms a step%n",
              master, r < 0 ? "warm-up" : "round " + (r + 1), s, p);
          if (r >= 0) {
            singleMs[r] = s;
            sparkMs[r] = p;
            ratios[r] = p / s;
          }
        }
        return new Mode(master, partitions, sparkMs, singleMs, ratios, emptyJob(sc, partitions));
      }
    } finally {
      sc.stop();
    }
  }

  /** The median time of a job of one empty task per partition: Spark's cost of any step. */
  private static double emptyJob(JavaSparkContext sc, int partitions) {
    List<Integer> one = java.util.stream.IntStream.range(0, partitions).boxed().toList();
    double[] ms = new double[21];
    for (int i = 0; i < ms.length; i++) {
      long start = System.nanoTime();
      sc.parallelize(one, partitions).map(x -> x).collect();
      ms[i] = (System.nanoTime() - start) / 1e6;
    }
    Arrays.sort(ms);
    return ms[ms.length / 2];
  }

  /**
   * The median time to serialize the model's parameters by path, as a broadcast or a task's
   * result is, and to read them back (Java serialization): the CPU cost of moving them once.
   */
  private static double serializationMs(int[] sizes) throws IOException {
    java.util.Map<String, double[]> values = new java.util.LinkedHashMap<>();
    mlp(sizes).namedParameters().forEach((path, p) -> values.put(path, p.value().data));
    double[] ms = new double[11];
    for (int i = 0; i < ms.length; i++) {
      long start = System.nanoTime();
      java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
      try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
        out.writeObject(values);
      }
      try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
          new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
        in.readObject();
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException(e);
      }
      ms[i] = (System.nanoTime() - start) / 1e6;
    }
    Arrays.sort(ms);
    return ms[ms.length / 2];
  }

  static Mlp mlp(int[] sizes) {
    Mlp.Builder b = Mlp.builder(sizes[0]).seed(1);
    for (int l = 1; l < sizes.length - 1; l++) {
      b.hidden(sizes[l], Activation.RELU);
    }
    return b.output(sizes[sizes.length - 1]).build();
  }

  /** SGD on the mean squared error, the whole data set one batch: an epoch is one step. */
  private static Trainer trainer(int batch, int epochs) {
    return Trainer.builder(new Objective(Losses.MEAN_SQUARED_ERROR, 1e-4), Optimizer.sgd(1e-3))
        .batchSize(batch).maxEpochs(epochs).seed(1).build();
  }

  private static Data gaussian(int rows, int inputs, int targets) {
    Random random = new Random(20240611L);
    DMatrixRMaj X = new DMatrixRMaj(rows, inputs);
    DMatrixRMaj Y = new DMatrixRMaj(rows, targets);
    Arrays.setAll(X.data, k -> random.nextGaussian());
    Arrays.setAll(Y.data, k -> random.nextGaussian());
    return Data.of(X, Y);
  }

  private static void repeat(int n, Runnable r) {
    for (int i = 0; i < n; i++) {
      r.run();
    }
  }

  /** Milliseconds per step of a block of steps. */
  private static double time(Runnable block, int steps) {
    long start = System.nanoTime();
    block.run();
    return (System.nanoTime() - start) / 1e6 / steps;
  }

  private static String option(List<String> args, String name, String fallback) {
    int i = args.indexOf("--" + name);
    if (i < 0 || i + 1 == args.size()) {
      if (fallback == null) {
        throw new IllegalArgumentException("--" + name + " is required");
      }
      return fallback;
    }
    return args.get(i + 1);
  }

  /** Multiply-adds × 2 of one step: forward, the weights' gradients, the inner inputs'. */
  static double flops(int[] sizes, int batch) {
    double f = 0;
    for (int l = 1; l < sizes.length; l++) {
      double product = 2.0 * batch * sizes[l - 1] * sizes[l];
      f += product * (l == 1 ? 2 : 3);
    }
    return f;
  }

  static String json(int[] sizes, int batch, String load, int rounds, int warmup, int steps,
      List<Mode> modes, double serializationMs) {
    long parameters = mlp(sizes).size();
    StringBuilder s = new StringBuilder("{\n");
    s.append("  \"sizes\": \"").append(Arrays.stream(sizes).mapToObj(String::valueOf)
        .collect(Collectors.joining("-"))).append("\",\n");
    s.append("  \"batch\": ").append(batch).append(",\n");
    s.append("  \"parameters\": ").append(parameters).append(",\n");
    s.append("  \"flopsPerStep\": ").append(String.format(Locale.ROOT, "%.6g",
        flops(sizes, batch))).append(",\n");
    s.append("  \"date\": \"").append(java.time.LocalDate.now()).append("\",\n");
    s.append("  \"load\": \"").append(load).append("\",\n");
    s.append("  \"cores\": ").append(Runtime.getRuntime().availableProcessors()).append(",\n");
    s.append("  \"rounds\": ").append(rounds).append(",\n");
    s.append("  \"warmup\": ").append(warmup).append(",\n");
    s.append("  \"steps\": ").append(steps).append(",\n");
    s.append("  \"serializationMs\": ").append(String.format(Locale.ROOT, "%.6g",
        serializationMs)).append(",\n");
    s.append("  \"modes\": [\n");
    for (int i = 0; i < modes.size(); i++) {
      Mode m = modes.get(i);
      s.append("    {\"master\": \"").append(m.master()).append("\", \"partitions\": ")
          .append(m.partitions()).append(", \"sparkMs\": ").append(array(m.sparkMs()))
          .append(", \"singleMs\": ").append(array(m.singleMs())).append(", \"ratios\": ")
          .append(array(m.ratios())).append(", \"emptyJobMs\": ")
          .append(String.format(Locale.ROOT, "%.6g", m.emptyJobMs())).append('}').append(i + 1 < modes.size() ? ",\n" : "\n");
    }
    return s.append("  ]\n}\n").toString();
  }

  private static String array(double[] v) {
    return Arrays.stream(v).mapToObj(x -> String.format(Locale.ROOT, "%.6g", x))
        .collect(Collectors.joining(", ", "[", "]"));
  }
}
