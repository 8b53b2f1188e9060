package dev.autodiff.benchmarks;

import com.google.gson.Gson;
import dev.autodiff.benchmarks.Results.Metric;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The report's section on a step on Spark, from the JSON that autodiff-spark's StepBenchmark
 * writes (Spark is kept out of this module; autodiff-benchmarks/run runs it in a JVM of its own).
 */
final class SparkSection {
  static final String TITLE = "## (m) A data-parallel step on Spark";

  /** The benchmark's JSON, as StepBenchmark writes it. */
  record Run(String sizes, int batch, long parameters, double flopsPerStep, String date,
      String load, int cores, int rounds, int warmup, int steps, double serializationMs,
      List<Mode> modes) {}

  /** One master's rounds. */
  record Mode(String master, int partitions, double[] sparkMs, double[] singleMs,
      double[] ratios, double emptyJobMs) {}

  private SparkSection() {}

  static Run read(Path json) throws IOException {
    try (Reader r = Files.newBufferedReader(json)) {
      return new Gson().fromJson(r, Run.class);
    }
  }

  /** The section, its title first; what to say when the run had no Spark benchmark. */
  static String render(Optional<Run> run, String command) {
    StringBuilder s = new StringBuilder(TITLE).append("\n\n");
    if (run.isEmpty()) {
      return s.append("Not measured in this run: `autodiff-benchmarks/run --spark-only` measures"
          + " it and writes this section alone.\n\n").toString();
    }
    Run r = run.get();
    s.append(String.format(Locale.ROOT, "A relu MLP %s (%,d parameters, %.1f MB as doubles), SGD "
            + "on the mean squared error of a batch of %d seeded Gaussian rows: `Trainer.step` in "
            + "one JVM against `Trainer.fit` on a `SparkGradientSource` of the same %d rows in "
            + "one partition per core, so that every step is the whole data set. For each master "
            + "a Spark context is started in the same JVM; then in each round a block of %d "
            + "steps of one and a block of the other take turns (which goes first alternates), "
            + "%d warm-up rounds and %d measured. A round's ratio is Spark's time per step ÷ one "
            + "JVM's; the table gives medians, the ratio's lowest and highest in brackets. "
            + "Measured by `%s` on %s, the load average %s when it started, %d cores.%n%n",
        r.sizes(), r.parameters(), 8e-6 * r.parameters(), r.batch(), r.batch(),
        r.steps(), r.warmup(), r.rounds(), command, r.date(), r.load(), r.cores()));
    s.append("| master | partitions | one JVM ms | Spark ms | Spark ÷ one JVM | empty job ms |\n");
    s.append("|---|--:|--:|--:|--:|--:|\n");
    for (Mode m : r.modes()) {
      s.append("| ").append(m.master()).append(" | ").append(m.partitions()).append(" | ")
          .append(Report.num(median(m.singleMs()))).append(" | ")
          .append(Report.num(median(m.sparkMs()))).append(" | ")
          .append(Report.spread(Optional.of(metric(m.ratios())))).append(" | ")
          .append(Report.num(m.emptyJobMs())).append(" |\n");
    }
    double single = r.modes().stream().flatMap(m -> Arrays.stream(m.singleMs()).boxed())
        .sorted().toList().get(r.modes().size() * r.rounds() / 2);
    s.append(String.format(Locale.ROOT, "%nOne JVM's step is %s GFLOP (products only: forward, "
            + "the weights' gradients, the inner layers' inputs'), %s GFLOP/s on one core. An "
            + "empty job is one Spark job of one empty task per partition. Serializing the "
            + "parameters by path and reading them back (what a broadcast and a collected share "
            + "cost in CPU, besides the network): %s ms. docs/DISTRIBUTED.md models a step on "
            + "E executors from these numbers.%n%n", Report.num(r.flopsPerStep() / 1e9),
        Report.num(r.flopsPerStep() / single / 1e6), Report.num(r.serializationMs())));
    return s.toString();
  }

  /** The document with its Spark section replaced by section (appended if it has none). */
  static String splice(String document, String section) {
    int from = document.indexOf(TITLE);
    if (from < 0) {
      return document.endsWith("\n\n") ? document + section : document + "\n" + section;
    }
    int to = document.indexOf("\n## ", from + TITLE.length());
    return document.substring(0, from) + section
        + (to < 0 ? "" : document.substring(to + 1));
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static Metric metric(double[] v) {
    double m = median(v);
    return new Metric(m, Double.NaN, Map.of("50.0", m), "",
        List.of(Arrays.stream(v).boxed().toList()));
  }
}
