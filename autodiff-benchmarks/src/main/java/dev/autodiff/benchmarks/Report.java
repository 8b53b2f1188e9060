package dev.autodiff.benchmarks;

import dev.autodiff.benchmarks.Results.Metric;
import dev.autodiff.benchmarks.Results.Result;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns JMH's JSON results into docs/PERFORMANCE.md: the targets judged, then a section per
 * benchmark.
 *
 * <p>Usage: {@code Report --out FILE --command "CMD" [--quick] [--seconds N] [--load L]
 * [--spark SPARK.json] RESULTS.json...}, where L is the load average when the run started and
 * SPARK.json autodiff-spark's StepBenchmark's; or {@code Report --out FILE --command "CMD"
 * --spark-only SPARK.json}, which replaces the Spark section of FILE and nothing else.
 */
public final class Report {
  private static final String STEP = "StepBenchmark.step";
  private static final String INTERLEAVED = "InterleavedBenchmark.round";

  /** What the report says about the machine and the run. */
  record Setup(String cpu, int cores, String java, String os, String blasConfig,
      String blasCore, String command, boolean quick, long seconds, String data, String load) {}

  private final Results results;
  private final Optional<SparkSection.Run> spark;
  private final StringBuilder out = new StringBuilder();

  Report(Results results) {
    this(results, Optional.empty());
  }

  Report(Results results, Optional<SparkSection.Run> spark) {
    this.results = results;
    this.spark = spark;
  }

  public static void main(String[] args) throws IOException {
    Path outFile = null;
    String command = "autodiff-benchmarks/run";
    boolean quick = false;
    long seconds = -1;
    String load = null;
    Path spark = null;
    boolean sparkOnly = false;
    List<Path> inputs = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--out" -> outFile = Path.of(args[++i]);
        case "--command" -> command = args[++i];
        case "--quick" -> quick = true;
        case "--seconds" -> seconds = Long.parseLong(args[++i]);
        case "--load" -> load = args[++i];
        case "--spark" -> spark = Path.of(args[++i]);
        case "--spark-only" -> {
          spark = Path.of(args[++i]);
          sparkOnly = true;
        }
        default -> inputs.add(Path.of(args[i]));
      }
    }
    if (outFile == null || (inputs.isEmpty() && !sparkOnly)) {
      System.err.println("usage: Report --out FILE [--command CMD] [--quick] [--seconds N]"
          + " [--load L] [--spark SPARK.json] RESULTS.json...\n"
          + "       Report --out FILE [--command CMD] --spark-only SPARK.json");
      System.exit(2);
    }
    if (sparkOnly) {
      Files.writeString(outFile, SparkSection.splice(Files.readString(outFile),
          SparkSection.render(Optional.of(SparkSection.read(spark)), command)));
      System.out.println("wrote the Spark section of " + outFile);
      return;
    }
    Optional<SparkSection.Run> sparkRun = spark == null ? Optional.empty()
        : Optional.of(SparkSection.read(spark));
    Results results = Results.read(inputs);
    Setup setup = new Setup(cpuModel(), Runtime.getRuntime().availableProcessors(), java(results),
        System.getProperty("os.name") + " " + System.getProperty("os.version"), Blas.config(),
        Blas.corename(), command, quick, seconds, FashionMnist.source(), load);
    if (outFile.getParent() != null) {
      Files.createDirectories(outFile.getParent());
    }
    Files.writeString(outFile, new Report(results, sparkRun).render(setup));
    System.out.println("wrote " + outFile);
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
  private static String java(Results results) {
    return results.all().stream().findFirst().map(r -> r.vmName() + " " + r.jdkVersion())
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
    machine(s);
    targets();
    measured();
    interleaved();
    steps();
    hvp();
    penalty();
    gemm();
    allocation();
    chain();
    epoch(s.data());
    threads();
    anomalies();
    convolution();
    gather();
    out.append(SparkSection.render(spark, s.command()));
    return out.toString();
  }

  private void machine(Setup s) {
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
    line("| JMH | " + results.all().stream().findFirst().map(Result::jmhVersion).orElse("?")
        + ", " + settings(STEP, "per step benchmark") + " |");
    line();
  }

  /** "1 fork, 3 warm-up × 1 s and 7 measured × 1 s per step benchmark", or "" if not run. */
  private String settings(String benchmark, String per) {
    return results.find(benchmark).map(r -> String.format(Locale.ROOT,
        "%d fork, %d warm-up × %s and %d measured × %s %s", r.forks(), r.warmupIterations(),
        r.warmupTime(), r.measurementIterations(), r.measurementTime(), per)).orElse("");
  }

  private void targets() {
    line("## Targets");
    line();
    line("Each target is a ratio of two things timed in turns in one JVM, in blocks of about "
        + Rotation.BLOCK_NANOS / 1_000_000 + " ms whose order rotates from round to round, so "
        + "that a slow spell of the machine falls on both alike. Every measured iteration gives "
        + "its own ratio; a target is judged on their median, shown with the lowest and highest.");
    line();
    line("| target | median (lowest–highest) | bound | | see |");
    line("|---|--:|--:|---|---|");
    for (Target t : Target.all()) {
      line("| " + t.what() + " | " + spread(t.measured(results)) + " | " + t.describeBound()
          + " | " + t.verdict(results) + " | " + t.section() + " |");
    }
    line();
  }

  private void measured() {
    line("## What is measured");
    line();
    line("One SGD step on J = ½‖Y − V‖²_F + ½Σₖ‖Wₖ‖²_F (the biases carry no penalty), in double "
        + "precision: forward, backward, update, for batches of rows X (batch×in), hidden layers "
        + "relu(X Wᵀ ⊕ b) and an identity output layer. Data and initial weights are seeded "
        + "Gaussians; η = " + plain(StepBenchmark.ETA) + ". Products run on one OpenBLAS thread "
        + "unless a table says otherwise.");
    line();
    line("- **eager**: the loop exactly as a user writes it with `dev.autodiff.core`: a new `Tape` "
        + "per step, `X.matmulTransB(W).add(b).relu()`, `halfSquaredNorm`, `tape.backward(J)`, "
        + "`CommonOps_DDRM.addEquals(w, -η, g.get(W))`. Every step records its nodes and "
        + "allocates their values and gradients anew.");
    line("- **plan**: the same J recorded once and compiled, `Plan.compile(J, W1, …, b1, …)`; "
        + "each step is `plan.run()` on the weights the last update changed in place, then the "
        + "same update. The planner records the backward as nodes of the same ops and compiles "
        + "both passes into instructions on buffers allocated once, so a run allocates nothing. "
        + "A product whose result is added to another term takes that term as BLAS's β·C, so "
        + "the penalty's s·W is folded into the weight gradient's product (one product call "
        + "gives δᵀH + s·W); a bias add and the relu, σ or tanh after it run as one pass; buffers "
        + "are reused once their values are dead (liveness), an elementwise result taking over an "
        + "operand that dies with it; relu's gradient is one masked op, g ⊙ [y > 0] on relu's "
        + "output.");
    line("- **hand EJML**: backprop written by hand on buffers allocated once, products by "
        + "`CommonOps_DDRM` (no transpose materialised), loops for the rest, J summed inside loops "
        + "the step makes anyway. The baseline for the 2-3-2 step.");
    line("- **hand BLAS**: the same code with every product through OpenBLAS's `dgemm` on the "
        + "`DMatrixRMaj.data` arrays (netlib's JNI binding, which pins them, as the engine's "
        + "large products). The baseline for the larger steps.");
    line();
    line("Times are the median over measured iterations of each iteration's mean time per step "
        + "(the mean over iterations beside it where shown). JUnit tests check that all four "
        + "train the same weights and compute the same J to 1e-10 relative; the plan adds the "
        + "penalty inside the BLAS call, so it agrees to rounding, not bit for bit.");
    line();
  }

  private void interleaved() {
    line("## (a) The step, the four implementations in one process");
    line();
    line("Eager, plan, hand EJML and hand BLAS take turns in one JVM as described under Targets. "
        + "µs per step are medians over the iterations; each ratio is the median of the "
        + "iterations' own ratios, lowest and highest in brackets. Table (b) times each "
        + "implementation in a JVM of its own instead."
        + results.find(INTERLEAVED).map(x -> String.format(Locale.ROOT,
            " Here: %d warm-up × %s and %d measured × %s per workload.", x.warmupIterations(),
            x.warmupTime(), x.measurementIterations(), x.measurementTime())).orElse(""));
    line();
    line("| workload | eager µs | plan µs | hand EJML µs | hand BLAS µs | plan ÷ hand EJML |"
        + " plan ÷ hand BLAS | eager ÷ hand EJML | eager ÷ plan |");
    line("|---|--:|--:|--:|--:|--:|--:|--:|--:|");
    for (Workload w : Workload.values()) {
      String[] p = {"workload", w.name()};
      line("| " + w + " " + w.describe() + " | " + median(INTERLEAVED, "eagerMicros", p) + " | "
          + median(INTERLEAVED, "planMicros", p) + " | " + median(INTERLEAVED, "ejmlMicros", p)
          + " | " + median(INTERLEAVED, "blasMicros", p) + " | "
          + spread(INTERLEAVED, "planOverEjml", p) + " | "
          + spread(INTERLEAVED, "planOverBlas", p) + " | "
          + spread(INTERLEAVED, "eagerOverEjml", p) + " | "
          + spread(INTERLEAVED, "eagerOverPlan", p) + " |");
    }
    line();
  }

  private void steps() {
    line("## (b) One step, each implementation in its own JVM");
    line();
    line("Each row is a JMH run of its own, one after another: the absolute times of every "
        + "implementation, and ratios that also carry whatever changed on the machine between "
        + "runs.");
    line();
    line("| workload | implementation | median µs | mean µs | ÷ hand EJML | ÷ hand BLAS |");
    line("|---|---|--:|--:|--:|--:|");
    for (Workload w : Workload.values()) {
      Optional<Result> ejml = step(w, Step.Impl.EJML);
      Optional<Result> blas = step(w, Step.Impl.BLAS);
      for (Step.Impl impl : Step.Impl.values()) {
        Optional<Result> r = step(w, impl);
        line("| " + (impl.ordinal() == 0 ? w + " " + w.describe() : "") + " | " + label(impl)
            + " | " + r.map(x -> num(x.median())).orElse("—") + " | "
            + r.map(x -> num(x.mean())).orElse("—") + " | " + ratio(r, ejml) + " | "
            + ratio(r, blas) + " |");
      }
    }
    line();
  }

  private void hvp() {
    String b = "HvpBenchmark.round";
    line("## (c) A Hessian-vector product against one gradient, " + HvpBenchmark.WORKLOAD
        + "'s problem");
    line();
    line(HvpBenchmark.WORKLOAD.describe() + ", at fixed weights, over every weight and bias θᵢ. "
        + "The gradient: `Plan.compile(J, θ…)`, `plan.run()`. H·v: on the same tape, "
        + "`tape.grad(J, θ…)` records the backward as nodes gᵢ; h = Σᵢ sum(gᵢ ⊙ vᵢ) with seeded "
        + "Gaussian directions vᵢ as constants; `Plan.compile(h, θ…)` gives H·v as h's gradient. "
        + "Eagerly, on a new tape each time: record J and `tape.backward(J)`, against record J, "
        + "`tape.grad`, h and `tape.backward(h)`, as `Derivatives.hvp` does. The four take turns "
        + "in one JVM as in (a); the eager ratio has no target. A JUnit test checks H·v against "
        + "central differences of the gradient along v.");
    line();
    line("| | gradient µs | H·v µs | H·v ÷ gradient |");
    line("|---|--:|--:|--:|");
    line("| plans | " + median(b, "gradientMicros") + " | " + median(b, "hvpMicros") + " | "
        + spread(b, "hvpOverGradient") + " |");
    line("| eager | " + median(b, "eagerGradientMicros") + " | " + median(b, "eagerHvpMicros")
        + " | " + spread(b, "eagerHvpOverGradient") + " |");
    line();
  }

  private void penalty() {
    String b = "PenaltyBenchmark.round";
    line("## (d) The penalty as the formula reads, in a plan");
    line();
    line("The plan's step on " + PenaltyBenchmark.WORKLOAD.describe() + " with each ½‖W‖²_F "
        + "written `W.frobeniusNorm().square().scale(0.5)` against `W.halfSquaredNorm()`, taking "
        + "turns in one JVM as in (a). A JUnit test checks that both train the same weights.");
    line();
    line("| `halfSquaredNorm` µs | literal µs | literal ÷ `halfSquaredNorm` |");
    line("|--:|--:|--:|");
    line("| " + median(b, "halfSquaredNormMicros") + " | " + median(b, "literalMicros") + " | "
        + spread(b, "literalOverHalfSquaredNorm") + " |");
    line();
  }

  private void gemm() {
    String turns = "InterleavedGemmBenchmark.round";
    line("## (e) Matrix product c = a·b, n×n, GFLOP/s (2n³ / median time), one thread");
    line();
    line("The engine's path is `dev.autodiff.core.kernels.Gemm.mult`: OpenBLAS's dgemm on the "
        + "Java arrays, pinned by netlib's JNI binding, from the size where that pays. OpenBLAS on "
        + "`double[]` is what a Java caller of JavaCPP's array overload gets (JNI copies the "
        + "arrays in and out); off-heap is the same call on `DoublePointer`s, the library's own "
        + "speed. The first four columns are each a JVM of its own; the last three take turns in "
        + "one JVM, so the engine stands beside what OpenBLAS reached in the same seconds, and "
        + "their ratio is what the engine's call costs on top (1 when it costs nothing). The "
        + "target is on that ratio from n = " + Target.LARGE_N + ".");
    line();
    line("| n | engine | EJML | OpenBLAS, double[] | OpenBLAS, off-heap | engine, in turns |"
        + " OpenBLAS off-heap, in turns | engine ÷ OpenBLAS, in turns |");
    line("|--:|--:|--:|--:|--:|--:|--:|--:|");
    for (String n : List.of("64", "128", "256", "512", "1024")) {
      line("| " + n + " | " + gflops(n, "ENGINE") + " | " + gflops(n, "EJML") + " | "
          + gflops(n, "BLAS") + " | " + gflops(n, "BLAS_OFFHEAP") + " | "
          + median(turns, "engineGflops", "n", n) + " | " + median(turns, "blasGflops", "n", n)
          + " | " + spread(turns, "engineOverBlas", "n", n) + " |");
    }
    line();
  }

  private String gflops(String n, String path) {
    double size = Double.parseDouble(n);
    return results.find("GemmBenchmark.mult", "n", n, "path", path)
        .map(r -> num(2 * size * size * size / (r.median() * 1e3))).orElse("—");
  }

  private void allocation() {
    line("## (f) Bytes allocated per step");
    line();
    line("JMH's gc profiler (`gc.alloc.rate.norm`) in the runs of (b), averaged over the measured "
        + "iterations.");
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
    line("## (g) A chain of " + String.format(Locale.ROOT, "%,d", ChainBenchmark.LENGTH)
        + " ops");
    line();
    line("A 1×1 variable scaled by 1.0000001 by each op, recorded on one tape, then "
        + "`tape.backward` over it: the engine's cost per node, and proof that a deep graph needs "
        + "no deep stack. Each is one shot, repeated.");
    line();
    line("| | median ms | mean ms |");
    line("|---|--:|--:|");
    for (String[] b : new String[][] {{"record1M", "record"}, {"backward1M", "backward"}}) {
      Optional<Result> r = results.find("ChainBenchmark." + b[0]);
      line("| " + b[1] + " | " + r.map(x -> num(x.median())).orElse("—") + " | "
          + r.map(x -> num(x.mean())).orElse("—") + " |");
    }
    line();
  }

  private void epoch(String data) {
    line("## (h) One Fashion-MNIST epoch");
    line();
    line(Workload.layers(EpochBenchmark.SIZES) + ", batch " + EpochBenchmark.BATCH
        + ", plain SGD with η = " + plain(EpochBenchmark.ETA) + " on the step benchmarks' "
        + "objective with one-hot Y; " + FashionMnist.ROWS / EpochBenchmark.BATCH
        + " batches in file order. Data: " + data
        + ". One epoch timed, JIT warm-up included. The plan is what `Trainer.fit` runs; the hand "
        + "BLAS step stands in for hand EJML here, whose epoch takes too long for the run.");
    line();
    line("| implementation | seconds | ÷ hand BLAS |");
    line("|---|--:|--:|");
    Optional<Result> base = epochResult(Step.Impl.BLAS);
    for (Step.Impl impl : List.of(Step.Impl.PLAN, Step.Impl.EAGER, Step.Impl.BLAS)) {
      Optional<Result> r = epochResult(impl);
      line("| " + label(impl) + " | " + r.map(x -> num(x.median())).orElse("—") + " | "
          + ratio(r, base) + " |");
    }
    line();
  }

  private Optional<Result> epochResult(Step.Impl impl) {
    return results.find("EpochBenchmark.epoch", "impl", impl.name());
  }

  private void threads() {
    line("## (i) One and two OpenBLAS threads");
    line();
    line("The thread count is global to OpenBLAS, so it applies to the plan's products too. "
        + "On 2 cores the second thread competes with the JVM's own (JIT, garbage collector).");
    line();
    line("| workload | implementation | 1 thread µs | 2 threads µs | speed-up |");
    line("|---|---|--:|--:|--:|");
    for (Workload w : List.of(Workload.W3, Workload.W4)) {
      for (Step.Impl impl : List.of(Step.Impl.PLAN, Step.Impl.BLAS)) {
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
    line("## (j) Anomaly detection off and on");
    line();
    line("The eager step as in (b), with `tape.detectAnomalies(true)` or without it (off, the "
        + "default, costs one null check per op). Off is the eager row of (b), measured again "
        + "here.");
    line();
    line("| workload | off µs | on µs | on ÷ off | eager in (b) µs | off ÷ (b) |");
    line("|---|--:|--:|--:|--:|--:|");
    for (Workload w : List.of(Workload.W1, Workload.W2)) {
      Optional<Result> off = anomalies(w, false);
      Optional<Result> on = anomalies(w, true);
      Optional<Result> plain = step(w, Step.Impl.EAGER);
      line("| " + w + " | " + off.map(x -> num(x.median())).orElse("—") + " | "
          + on.map(x -> num(x.median())).orElse("—") + " | " + ratio(on, off) + " | "
          + plain.map(x -> num(x.median())).orElse("—") + " | " + ratio(off, plain) + " |");
    }
    line();
  }

  private void convolution() {
    String b = "ConvBenchmark.round";
    line("## (k) Convolution and the product it is built on");
    line();
    line("`conv2d`'s kernel (im2col, the product, the columns back to one row per image, a block "
        + "of images at a time so the columns stay in cache) against the whole batch's product "
        + "alone on columns made beforehand, taking turns in one JVM as in (a). The ratio is the "
        + "share of the product's speed the convolution keeps.");
    line();
    line("| layer | conv2d µs | product µs | product ÷ conv2d |");
    line("|---|--:|--:|--:|");
    for (ConvBenchmark.Layer layer : ConvBenchmark.Layer.values()) {
      String l = layer.name();
      line("| " + layer + " " + layer.describe() + " | " + median(b, "convMicros", "layer", l)
          + " | " + median(b, "productMicros", "layer", l) + " | "
          + spread(b, "productOverConv", "layer", l) + " |");
    }
    line();
  }

  private void gather() {
    String b = "GatherBenchmark.round";
    line("## (l) An embedding's gradient in a plan");
    line();
    line("J = Σ gatherRows(E, ids) ⊙ R and its gradient with respect to E, as a plan, for "
        + String.format(Locale.ROOT, "%,d", GatherBenchmark.IDS) + " ids into tables of "
        + GatherBenchmark.WIDTH + " columns, taking turns in one JVM. The same ids every time: "
        + "a cost of ids × width is the same for every table.");
    line();
    line("| 5,000 rows µs | 50,000 rows µs | 200,000 rows µs | 50,000 ÷ 5,000 "
        + "| 200,000 ÷ 5,000 |");
    line("|--:|--:|--:|--:|--:|");
    line("| " + median(b, "smallMicros") + " | " + median(b, "mediumMicros") + " | "
        + median(b, "largeMicros") + " | " + spread(b, "mediumOverSmall") + " | "
        + spread(b, "largeOverSmall") + " |");
    line();
  }

  private Optional<Result> anomalies(Workload w, boolean on) {
    return results.find("AnomalyBenchmark.step", "workload", w.name(), "anomalies",
        String.valueOf(on));
  }

  private Optional<Result> step(Workload w, Step.Impl impl) {
    return results.find(STEP, "workload", w.name(), "impl", impl.name());
  }

  private Optional<Result> threads(Workload w, Step.Impl impl, int n) {
    return results.find("ThreadsBenchmark.step", "workload", w.name(), "impl", impl.name(),
        "threads", String.valueOf(n));
  }

  private String median(String benchmark, String key, String... params) {
    return results.secondary(key, benchmark, params).map(m -> num(m.median())).orElse("—");
  }

  private String spread(String benchmark, String key, String... params) {
    return spread(results.secondary(key, benchmark, params));
  }

  /** "0.105 (0.101–0.112)": the median over iterations, then the lowest and highest. */
  static String spread(Optional<Metric> metric) {
    return metric.map(m -> {
      List<Double> v = m.iterations();
      String range = v.isEmpty() ? "" : " (" + num(v.stream().min(Double::compare).get()) + "–"
          + num(v.stream().max(Double::compare).get()) + ")";
      return num(m.median()) + range;
    }).orElse("—");
  }

  private static String label(Step.Impl impl) {
    return switch (impl) {
      case EAGER -> "eager";
      case PLAN -> "plan";
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
    if (Double.isInfinite(x)) {
      return x > 0 ? "∞" : "−∞";
    }
    // the digits shown follow the rounded value, so that 0.99996 reads 1.00 and not 1.000
    double r = Double.parseDouble(String.format(Locale.ROOT, "%." + decimals(x) + "f", x));
    return String.format(Locale.ROOT, "%,." + decimals(r) + "f", r);
  }

  private static int decimals(double x) {
    double a = Math.abs(x);
    return a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : a >= 0.1 ? 3 : 4;
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
