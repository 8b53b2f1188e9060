package dev.autodiff.benchmarks;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.Strictness;
import com.google.gson.reflect.TypeToken;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** JMH's JSON results, read as JMH writes them, looked up by benchmark and parameters. */
final class Results {
  /** The gc profiler's bytes per op; JMH before 1.36 put a "·" before the name. */
  static final List<String> ALLOC = List.of("gc.alloc.rate.norm", "·gc.alloc.rate.norm");

  /** One JMH result, as JMH writes it; fields not named here are ignored. */
  record Result(String benchmark, String mode, Map<String, String> params, Metric primaryMetric,
      Map<String, Metric> secondaryMetrics, String jdkVersion, String vmName, String jmhVersion,
      int forks, int warmupIterations, String warmupTime, int measurementIterations,
      String measurementTime) {
    /** "StepBenchmark.step". */
    String name() {
      String[] parts = benchmark.split("\\.");
      return parts[parts.length - 2] + "." + parts[parts.length - 1];
    }

    String param(String key) {
      return params == null ? null : params.get(key);
    }

    /** The median over iterations (each iteration's score is itself a mean over its ops). */
    double median() {
      return primaryMetric.median();
    }

    double mean() {
      return primaryMetric.score();
    }

    Optional<Double> allocated() {
      return ALLOC.stream().map(k -> secondaryMetrics == null ? null : secondaryMetrics.get(k))
          .filter(m -> m != null).findFirst().map(Metric::score);
    }

    /** A secondary result, e.g. an {@code @AuxCounters} accessor's. */
    Optional<Metric> secondary(String key) {
      return Optional.ofNullable(secondaryMetrics == null ? null : secondaryMetrics.get(key));
    }
  }

  record Metric(double score, double scoreError, Map<String, Double> scorePercentiles,
      String scoreUnit, List<List<Double>> rawData) {
    /** The median over iterations. */
    double median() {
      Double m = scorePercentiles == null ? null : scorePercentiles.get("50.0");
      return m != null ? m : score;
    }

    /** Every iteration's value, over all forks. */
    List<Double> iterations() {
      return rawData == null ? List.of() : rawData.stream().flatMap(List::stream).toList();
    }
  }

  private final List<Result> list;

  Results(List<Result> list) {
    this.list = List.copyOf(list);
  }

  static Results read(List<Path> files) throws IOException {
    List<Result> all = new ArrayList<>();
    for (Path p : files) {
      all.addAll(read(p));
    }
    return new Results(all);
  }

  private static List<Result> read(Path json) throws IOException {
    // JMH writes "NaN" for the error of a single measurement, which strict JSON has no word for
    Gson gson = new GsonBuilder().setStrictness(Strictness.LENIENT).create();
    try (Reader r = Files.newBufferedReader(json)) {
      List<Result> list = gson.fromJson(r, new TypeToken<List<Result>>() {}.getType());
      return list == null ? List.of() : list;
    }
  }

  List<Result> all() {
    return list;
  }

  /**
   * The result of the benchmark named as in {@link Result#name}, with the parameters given as
   * key, value, key, value, …; empty when the run did not include it.
   */
  Optional<Result> find(String name, String... params) {
    return list.stream().filter(r -> r.name().equals(name) && has(r, params)).findFirst();
  }

  /** A secondary result of {@link #find}'s result. */
  Optional<Metric> secondary(String key, String name, String... params) {
    return find(name, params).flatMap(r -> r.secondary(key));
  }

  private static boolean has(Result r, String[] params) {
    for (int i = 0; i + 1 < params.length; i += 2) {
      if (!params[i + 1].equals(r.param(params[i]))) {
        return false;
      }
    }
    return true;
  }
}
