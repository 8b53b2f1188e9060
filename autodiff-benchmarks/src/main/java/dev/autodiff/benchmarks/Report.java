package dev.autodiff.benchmarks;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.Strictness;
import com.google.gson.reflect.TypeToken;
import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Turns JMH's JSON results into docs/PERFORMANCE.md.
 *
 * <p>Usage: {@code Report --out FILE --command "CMD" [--quick] [--seconds N] [--load L]
 * RESULTS.json...}, where L is the load average when the run started.
 */
public final class Report {
  /** The gc profiler's bytes per op; JMH before 1.36 put a "·" before the name. */
  static final List<String> ALLOC = List.of("gc.alloc.rate.norm", "·gc.alloc.rate.norm");
  /** Engine ÷ hand EJML per step that the engine should reach, W1 to W4. */
  static final double[] EJML_TARGETS = {5, 0.5, 0.12, 0.09};
  static final double BLAS_TARGET = 1.10;
  static final double GFLOPS_TARGET = 40;
  /** The products the GFLOP/s target applies to. */
  static final int LARGE_N = 256;

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

  /** What the report says about the machine and the run. */
  record Setup(String cpu, int cores, String java, String os, String blasConfig,
      String blasCore, String command, boolean quick, long seconds, String data, String load) {}

  private final List<Result> results;
  private final StringBuilder out = new StringBuilder();

  Report(List<Result> results) {
    this.results = results;
  }

  public static void main(String[] args) throws IOException {
    Path outFile = null;
    String command = "autodiff-benchmarks/run";
    boolean quick = false;
    long seconds = -1;
    String load = null;
    List<Path> inputs = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--out" -> outFile = Path.of(args[++i]);
        case "--command" -> command = args[++i];
        case "--quick" -> quick = true;
        case "--seconds" -> seconds = Long.parseLong(args[++i]);
        case "--load" -> load = args[++i];
        default -> inputs.add(Path.of(args[i]));
      }
    }
    if (outFile == null || inputs.isEmpty()) {
      System.err.println("usage: Report --out FILE [--command CMD] [--quick] [--seconds N]"
          + " [--load L] RESULTS.json...");
      System.exit(2);
    }
    List<Result> results = new ArrayList<>();
    for (Path p : inputs) {
      results.addAll(read(p));
    }
    Setup setup = new Setup(cpuModel(), Runtime.getRuntime().availableProcessors(), java(results),
        System.getProperty("os.name") + " " + System.getProperty("os.version"), Blas.config(),
        Blas.corename(), command, quick, seconds, FashionMnist.source(), load);
    if (outFile.getParent() != null) {
      Files.createDirectories(outFile.getParent());
    }
    Files.writeString(outFile, new Report(results).render(setup));
    System.out.println("wrote " + outFile);
  }

  static List<Result> read(Path json) throws IOException {
    // JMH writes "NaN" for the error of a single measurement, which strict JSON has no word for
    Gson gson = new GsonBuilder().setStrictness(Strictness.LENIENT).create();
    try (Reader r = Files.newBufferedReader(json)) {
      List<Result> list = gson.fromJson(r, new TypeToken<List<Result>>() {}.getType());
      return list == null ? List.of() : list;
    }
  }

  /** The model name, with family and model numbers: a VM often hides the generation's name. */
  private static String cpuModel() {
    String name = null;
    String family = null;
    String model = null;
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        String value = line.substring(line.indexOf(':') + 1).trim();
        if (line.startsWith("model name") && name == null) {
          name = value;
        } else if (line.startsWith("cpu family") && family == null) {
          family = value;
        } else if (line.matches("model\\s*:.*") && model == null) {
          model = value;
        }
      }
    } catch (IOException e) {
      // not Linux: fall through
    }
    if (name == null) {
      return System.getProperty("os.arch");
    }
    return family == null || model == null ? name
        : name + " (family " + family + ", model " + model + ")";
  }

  /** The JVM that ran the forks, as JMH recorded it. */
  private static String java(List<Result> results) {
    return results.stream().findFirst().map(r -> r.vmName() + " " + r.jdkVersion())
        .orElse(System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
  }

  String render(Setup s) {
    line("# Performance");
    line();
    line("Generated by `" + s.command() + "` on " + LocalDate.now() + (s.seconds() >= 0
        ? String.format(Locale.ROOT, " (the benchmarks took %.1f min)", s.seconds() / 60.0)
        : "") + ". Regenerate it with the same command; the JMH JSON it was made from is in "
        + "`autodiff-benchmarks/target/jmh/`.");
    if (s.quick()) {
      line();
      line("**Quick smoke run** (`--quick`): one short iteration each, no warm-up. These numbers "
          + "check that the pipeline works; they are not for comparison.");
    }
    line();
    line("Times drift on shared machines: ratios are what matter.");
    line();
    line("## Machine");
    line();
    line("| | |");
    line("|---|---|");
    line("| CPU | " + s.cpu() + " |");
    line("| cores | " + s.cores() + " |");
    line("| Java | " + s.java() + " |");
    line("| OS | " + s.os() + " |");
    if (s.load() != null) {
      // another busy process shares the cores: two-thread numbers suffer most
      line("| load average when the run started | " + s.load() + " |");
    }
    line("| OpenBLAS | " + s.blasConfig() + " (kernel " + s.blasCore() + ") |");
    line("| JMH | " + results.stream().findFirst().map(Result::jmhVersion).orElse("?") + ", "
        + settings() + " |");
    line();
    line("## What is measured");
    line();
    line("One SGD step on J = ½‖Y − V‖²_F + ½Σₖ‖Wₖ‖²_F (the biases carry no penalty), in double "
        + "precision: forward, backward, update, for batches of rows X (batch×in), hidden layers "
        + "relu(X Wᵀ ⊕ b) and an identity output layer. Data and initial weights are seeded "
        + "Gaussians; η = " + plain(StepBenchmark.ETA) + ".");
    line();
    line("- **engine**: the loop a user writes with `dev.autodiff.core`: a new `Tape` per step in "
        + "try-with-resources, `X.matmulTransB(W).add(b).relu()`, `halfSquaredNorm`, "
        + "`tape.backward(J)`, `CommonOps_DDRM.addEquals(w, -η, g.get(W))`. Closing the tape hands "
        + "its matrices to the next step's tape.");
    line("- **engine, tapes not closed**: the same loop without try-with-resources: every step "
        + "allocates its values and gradients anew.");
    line("- **engine, re-run tape**: the same graph recorded once; each step calls "
        + "`tape.forward()`, which recomputes every value in place on the updated weights, then "
        + "`tape.backward(J)`, which reuses the previous backward's buffers.");
    line("- **hand EJML**: backprop written by hand on buffers allocated once, products by "
        + "`CommonOps_DDRM` (no transpose materialised), loops for the rest, J summed inside loops "
        + "the step makes anyway. The baseline.");
    line("- **hand BLAS**: the same code with every product through OpenBLAS's `dgemm` on the "
        + "`DMatrixRMaj.data` arrays (netlib's JNI binding, which pins them, as the engine's "
        + "large products), one thread.");
    line();
    line("Times are the median over measured iterations of each iteration's mean time per step "
        + "(the mean over iterations beside it). JUnit tests check that all of them give the same "
        + "weights and the same J to 1e-10.");
    line();
    interleaved();
    steps();
    versusBlas();
    gemm();
    allocation();
    chain();
    epoch(s.data());
    threads();
    anomalies();
    return out.toString();
  }

  private String settings() {
    return find(r -> r.name().equals("StepBenchmark.step")).map(r -> String.format(Locale.ROOT,
        "%d fork, %d warm-up × %s and %d measured × %s per step benchmark", r.forks(),
        r.warmupIterations(), r.warmupTime(), r.measurementIterations(), r.measurementTime()))
        .orElse("");
  }

  private void interleaved() {
    line("## (a) The engine against the hand-written steps, in one process");
    line();
    line("The engine (a new tape per step, closed), hand EJML and hand BLAS take turns in one JVM: "
        + "each round runs a block of about " + Rotation.BLOCK_NANOS / 1_000_000
        + " ms of each, the one to go first rotating, so that a slow spell of the machine falls on "
        + "all three alike. Each measured iteration gives its own ratios; the table shows their "
        + "median and, in brackets, the lowest and highest. The targets are judged here. Tables "
        + "(b) and (c) time each implementation in a JVM of its own instead."
        + find(x -> x.name().equals("InterleavedBenchmark.round")).map(x -> String.format(
            Locale.ROOT, " Here: %d warm-up × %s and %d measured × %s per workload.",
            x.warmupIterations(), x.warmupTime(), x.measurementIterations(),
            x.measurementTime())).orElse(""));
    line();
    line("| workload | engine µs | hand EJML µs | hand BLAS µs | engine ÷ hand EJML | target | |"
        + " engine ÷ hand BLAS | target | |");
    line("|---|--:|--:|--:|--:|--:|---|--:|--:|---|");
    for (Workload w : Workload.values()) {
      Optional<Result> r = find(x -> x.name().equals("InterleavedBenchmark.round")
          && w.name().equals(x.param("workload")));
      double t = EJML_TARGETS[w.ordinal()];
      line("| " + w + " " + w.describe() + " | " + median(r, "engineMicros") + " | "
          + median(r, "ejmlMicros") + " | " + median(r, "blasMicros") + " | "
          + spread(r, "engineOverEjml") + " | ≤ " + num(t) + " | " + verdict(r, "engineOverEjml", t)
          + " | " + spread(r, "engineOverBlas") + " | ≤ " + num(BLAS_TARGET) + " | "
          + verdict(r, "engineOverBlas", BLAS_TARGET) + " |");
    }
    line();
  }

  private static String median(Optional<Result> r, String key) {
    return r.flatMap(x -> x.secondary(key)).map(m -> num(m.median())).orElse("—");
  }

  /** "0.105 (0.101–0.112)": the median over iterations, then the lowest and highest. */
  private static String spread(Optional<Result> r, String key) {
    return r.flatMap(x -> x.secondary(key)).map(m -> {
      List<Double> v = m.iterations();
      String range = v.isEmpty() ? "" : " (" + num(v.stream().min(Double::compare).get()) + "–"
          + num(v.stream().max(Double::compare).get()) + ")";
      return num(m.median()) + range;
    }).orElse("—");
  }

  private static String verdict(Optional<Result> r, String key, double target) {
    return r.flatMap(x -> x.secondary(key))
        .map(m -> m.median() <= target ? "met" : "**not met**").orElse("—");
  }

  private void steps() {
    line("## (b) One step, each implementation in its own JVM, ratio to hand EJML");
    line();
    line("Each row is a JMH run of its own, one after another: the absolute times of every "
        + "implementation, and ratios that also carry whatever changed on the machine between "
        + "runs.");
    line();
    line("| workload | implementation | median µs | mean µs | ÷ hand EJML |");
    line("|---|---|--:|--:|--:|");
    for (Workload w : Workload.values()) {
      Optional<Result> base = step(w, Step.Impl.EJML);
      for (Step.Impl impl : Step.Impl.values()) {
        Optional<Result> r = step(w, impl);
        line("| " + (impl == Step.Impl.ENGINE ? w + " " + w.describe() : "") + " | "
            + label(impl) + " | " + r.map(x -> num(x.median())).orElse("—") + " | "
            + r.map(x -> num(x.mean())).orElse("—") + " | " + ratio(r, base) + " |");
      }
    }
    line();
  }

  private void versusBlas() {
    line("## (c) Engine ÷ hand BLAS, each in its own JVM");
    line();
    line("From the runs of (b): the plain loop (a new tape per step, closed), the loop without "
        + "closing its tapes and the re-run tape.");
    line();
    line("| workload | engine µs | hand BLAS µs | engine ÷ hand BLAS | not closed ÷ hand BLAS |"
        + " re-run tape ÷ hand BLAS |");
    line("|---|--:|--:|--:|--:|--:|");
    for (Workload w : Workload.values()) {
      Optional<Result> e = step(w, Step.Impl.ENGINE);
      Optional<Result> b = step(w, Step.Impl.BLAS);
      Optional<Result> r = step(w, Step.Impl.ENGINE_RERUN);
      Optional<Result> u = step(w, Step.Impl.ENGINE_UNCLOSED);
      line("| " + w + " | " + e.map(x -> num(x.median())).orElse("—") + " | "
          + b.map(x -> num(x.median())).orElse("—") + " | " + ratio(e, b) + " | " + ratio(u, b)
          + " | " + ratio(r, b) + " |");
    }
    line();
  }

  private void gemm() {
    line("## (d) Matrix product c = a·b, n×n, GFLOP/s (2n³ / median time), one thread");
    line();
    line("The engine's path is `dev.autodiff.core.ops.Gemm.mult`: OpenBLAS's dgemm on the Java "
        + "arrays, pinned by netlib's JNI binding. OpenBLAS on `double[]` is what a Java caller of "
        + "JavaCPP's array overload gets (JNI copies the arrays in and out); off-heap is the same "
        + "call on `DoublePointer`s, the library's own speed. The first four columns are each a JVM "
        + "of its own; the last three take turns in one JVM, as in (a), so the engine stands beside "
        + "what OpenBLAS reached in the same seconds, and their ratio is what the engine's call "
        + "costs on top. Target: the engine ≥ " + num(GFLOPS_TARGET)
        + " GFLOP/s for n ≥ " + LARGE_N + ", judged in turns.");
    line();
    line("| n | engine | EJML | OpenBLAS, double[] | OpenBLAS, off-heap | engine, in turns |"
        + " OpenBLAS off-heap, in turns | engine ÷ OpenBLAS | target | |");
    line("|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|");
    for (String n : List.of("64", "128", "256", "512", "1024")) {
      int size = Integer.parseInt(n);
      Optional<Result> turns = find(r -> r.name().equals("InterleavedGemmBenchmark.round")
          && n.equals(r.param("n")));
      Optional<Metric> engine = turns.flatMap(r -> r.secondary("engineGflops"));
      String target = size >= LARGE_N ? "≥ " + num(GFLOPS_TARGET) : "";
      String met = size < LARGE_N ? ""
          : engine.map(g -> g.median() >= GFLOPS_TARGET ? "met" : "**not met**").orElse("—");
      line("| " + n + " | " + gflops(n, "ENGINE").map(Report::num).orElse("—") + " | "
          + gflops(n, "EJML").map(Report::num).orElse("—") + " | "
          + gflops(n, "BLAS").map(Report::num).orElse("—") + " | "
          + gflops(n, "BLAS_OFFHEAP").map(Report::num).orElse("—") + " | "
          + spread(turns, "engineGflops") + " | " + median(turns, "blasGflops") + " | "
          + median(turns, "engineOverBlas") + " | " + target + " | " + met + " |");
    }
    line();
  }


  private Optional<Double> gflops(String n, String path) {
    double size = Double.parseDouble(n);
    return find(r -> r.name().equals("GemmBenchmark.mult") && n.equals(r.param("n"))
        && path.equals(r.param("path")))
        .map(r -> 2 * size * size * size / (r.median() * 1e3));
  }

  private void allocation() {
    line("## (e) Bytes allocated per step");
    line();
    line("JMH's gc profiler (`gc.alloc.rate.norm`), averaged over the measured iterations.");
    line();
    StringBuilder header = new StringBuilder("| workload |");
    StringBuilder rule = new StringBuilder("|---|");
    for (Step.Impl impl : Step.Impl.values()) {
      header.append(' ').append(label(impl)).append(" |");
      rule.append("--:|");
    }
    line(header.toString());
    line(rule.toString());
    for (Workload w : Workload.values()) {
      StringBuilder row = new StringBuilder("| " + w + " |");
      for (Step.Impl impl : Step.Impl.values()) {
        row.append(' ').append(step(w, impl).flatMap(Result::allocated).map(Report::bytes)
            .orElse("—")).append(" |");
      }
      line(row.toString());
    }
    line();
  }

  private void chain() {
    line("## (f) A chain of " + String.format(Locale.ROOT, "%,d", ChainBenchmark.LENGTH)
        + " ops");
    line();
    line("A 1×1 variable scaled by 1.0000001 a million times on one tape, then `tape.backward` "
        + "over it. Each is one shot, repeated.");
    line();
    line("| | median ms | mean ms |");
    line("|---|--:|--:|");
    for (String[] b : new String[][] {{"record1M", "record"}, {"backward1M", "backward"}}) {
      Optional<Result> r = find(x -> x.name().equals("ChainBenchmark." + b[0]));
      line("| " + b[1] + " | " + r.map(x -> num(x.median())).orElse("—") + " | "
          + r.map(x -> num(x.mean())).orElse("—") + " |");
    }
    line();
  }

  private void epoch(String data) {
    line("## (g) One Fashion-MNIST epoch");
    line();
    line("784-256-10, batch 64, plain SGD with η = " + plain(EpochBenchmark.ETA) + " on the step "
        + "benchmarks' objective J = ½‖Y − V‖²_F + ½Σ‖W‖²_F with one-hot Y; 937 batches in file "
        + "order. Data: " + data + ". One epoch timed, JIT warm-up included. The hand BLAS step "
        + "stands in for hand EJML here, whose epoch takes too long for the run.");
    line();
    line("| implementation | seconds | ÷ hand BLAS |");
    line("|---|--:|--:|");
    Optional<Result> base = epochResult(Step.Impl.BLAS);
    for (Step.Impl impl : List.of(Step.Impl.ENGINE, Step.Impl.BLAS)) {
      Optional<Result> r = epochResult(impl);
      line("| " + label(impl) + " | " + r.map(x -> num(x.median())).orElse("—") + " | "
          + ratio(r, base) + " |");
    }
    line();
  }

  private Optional<Result> epochResult(Step.Impl impl) {
    return find(r -> r.name().equals("EpochBenchmark.epoch") && impl.name().equals(r.param("impl")));
  }

  private void threads() {
    line("## (h) One and two OpenBLAS threads");
    line();
    line("The thread count is global to OpenBLAS, so it applies to the engine's products too. "
        + "On 2 cores the second thread competes with the JVM's own (JIT, garbage collector).");
    line();
    line("| workload | implementation | 1 thread µs | 2 threads µs | speed-up |");
    line("|---|---|--:|--:|--:|");
    for (Workload w : List.of(Workload.W3, Workload.W4)) {
      for (Step.Impl impl : List.of(Step.Impl.ENGINE, Step.Impl.BLAS)) {
        Optional<Result> one = threads(w, impl, 1);
        Optional<Result> two = threads(w, impl, 2);
        line("| " + w + " | " + label(impl) + " | " + one.map(x -> num(x.median())).orElse("—")
            + " | " + two.map(x -> num(x.median())).orElse("—") + " | " + ratio(one, two)
            + " |");
      }
    }
    line();
  }

  private void anomalies() {
    line("## (i) Anomaly detection off and on");
    line();
    line("The engine's step as in (b), with `tape.detectAnomalies(true)` or without it (off, the "
        + "default, costs one null check per op). Off is the engine row of (b), measured again here.");
    line();
    line("| workload | off µs | on µs | on ÷ off | engine in (b) µs | off ÷ (b) |");
    line("|---|--:|--:|--:|--:|--:|");
    for (Workload w : List.of(Workload.W1, Workload.W2)) {
      Optional<Result> off = anomalies(w, false);
      Optional<Result> on = anomalies(w, true);
      Optional<Result> plain = step(w, Step.Impl.ENGINE);
      line("| " + w + " | " + off.map(x -> num(x.median())).orElse("—") + " | "
          + on.map(x -> num(x.median())).orElse("—") + " | " + ratio(on, off) + " | "
          + plain.map(x -> num(x.median())).orElse("—") + " | " + ratio(off, plain) + " |");
    }
    line();
  }

  private Optional<Result> anomalies(Workload w, boolean on) {
    return find(r -> r.name().equals("AnomalyBenchmark.step")
        && w.name().equals(r.param("workload")) && String.valueOf(on).equals(r.param("anomalies")));
  }

  private Optional<Result> step(Workload w, Step.Impl impl) {
    return find(r -> r.name().equals("StepBenchmark.step") && w.name().equals(r.param("workload"))
        && impl.name().equals(r.param("impl")));
  }

  private Optional<Result> threads(Workload w, Step.Impl impl, int n) {
    return find(r -> r.name().equals("ThreadsBenchmark.step")
        && w.name().equals(r.param("workload")) && impl.name().equals(r.param("impl"))
        && String.valueOf(n).equals(r.param("threads")));
  }

  private Optional<Result> find(Predicate<Result> p) {
    return results.stream().filter(p).findFirst();
  }

  private static String label(Step.Impl impl) {
    return switch (impl) {
      case ENGINE -> "engine";
      case ENGINE_UNCLOSED -> "engine, tapes not closed";
      case ENGINE_RERUN -> "engine, re-run tape";
      case EJML -> "hand EJML";
      case BLAS -> "hand BLAS";
    };
  }

  private static String ratio(Optional<Result> a, Optional<Result> b) {
    return a.isPresent() && b.isPresent() ? num(a.get().median() / b.get().median()) : "—";
  }

  /** Three significant digits, without an exponent. */
  static String num(double x) {
    if (Double.isNaN(x)) {
      return "—";
    }
    double a = Math.abs(x);
    int decimals = a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : a >= 0.1 ? 3 : 4;
    return String.format(Locale.ROOT, "%,." + decimals + "f", x);
  }

  private static String plain(double x) {
    return BigDecimal.valueOf(x).stripTrailingZeros().toPlainString();
  }

  static String bytes(double b) {
    if (b < 1024) {
      return num(b) + " B";
    }
    if (b < 1024 * 1024) {
      return num(b / 1024) + " KiB";
    }
    return num(b / (1024 * 1024)) + " MiB";
  }

  private void line(String s) {
    out.append(s).append('\n');
  }

  private void line() {
    out.append('\n');
  }
}
