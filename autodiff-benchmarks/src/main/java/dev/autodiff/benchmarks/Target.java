package dev.autodiff.benchmarks;

import dev.autodiff.benchmarks.Results.Metric;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A target the report judges: a ratio that an interleaved benchmark reports for each measured
 * iteration, whose median over the iterations must stay at most (or at least) the bound.
 *
 * @param what the ratio in words, e.g. "plan ÷ hand BLAS, W2 64-32-10, batch 32"
 * @param section the report's section that shows the ratio, e.g. "(a)"
 * @param benchmark the benchmark as {@link Results.Result#name} gives it
 * @param params its parameters, key, value, key, value, …
 * @param key the secondary result, an {@code @AuxCounters} accessor
 */
record Target(String what, String section, String benchmark, List<String> params, String key,
    boolean atMost, double bound) {
  /** The plan ÷ hand EJML on W1. */
  static final double PLAN_OVER_EJML = 3;
  /** The plan ÷ hand BLAS on W2 to W4. */
  static final double PLAN_OVER_BLAS = 1.0;
  /** The eager loop ÷ hand EJML on W1. */
  static final double EAGER_OVER_EJML = 15;
  /** The eager loop ÷ the plan on W2 to W4. */
  static final double EAGER_OVER_PLAN = 1.5;
  /** H·v's plan ÷ the gradient's plan. */
  static final double HVP_OVER_GRADIENT = 5;
  /** The literal penalty ÷ halfSquaredNorm, both in plans. */
  static final double LITERAL_OVER_HALF_SQUARED_NORM = 1.1;
  /** The engine's product ÷ OpenBLAS's own, GFLOP/s in the same seconds, from n = LARGE_N. */
  static final double ENGINE_OVER_BLAS = 0.95;
  static final int LARGE_N = 256;
  /** conv2d's speed as a share of the one product it is built on's. */
  static final double PRODUCT_OVER_CONV = 0.5;
  /** An embedding's plan on a larger table ÷ on the smallest: its cost is ids × width. */
  static final double LARGER_TABLE_OVER_SMALLEST = 1.2;
  /** The sizes InterleavedGemmBenchmark runs. */
  static final List<Integer> GEMM_SIZES = List.of(256, 512, 1024);

  /** Every target, in the order the report lists them. */
  static List<Target> all() {
    List<Target> all = new ArrayList<>();
    String step = "InterleavedBenchmark.round";
    for (Workload w : Workload.values()) {
      boolean small = w == Workload.W1;
      all.add(new Target((small ? "plan ÷ hand EJML, " : "plan ÷ hand BLAS, ") + w + " "
          + w.describe(), "(a)", step, List.of("workload", w.name()),
          small ? "planOverEjml" : "planOverBlas", true,
          small ? PLAN_OVER_EJML : PLAN_OVER_BLAS));
    }
    for (Workload w : Workload.values()) {
      boolean small = w == Workload.W1;
      all.add(new Target((small ? "eager ÷ hand EJML, " : "eager ÷ plan, ") + w + " "
          + w.describe(), "(a)", step, List.of("workload", w.name()),
          small ? "eagerOverEjml" : "eagerOverPlan", true,
          small ? EAGER_OVER_EJML : EAGER_OVER_PLAN));
    }
    all.add(new Target("H·v ÷ one gradient, plans, " + HvpBenchmark.WORKLOAD.describe(), "(c)",
        "HvpBenchmark.round", List.of(), "hvpOverGradient", true, HVP_OVER_GRADIENT));
    all.add(new Target("literal penalty ÷ halfSquaredNorm, plans, "
        + PenaltyBenchmark.WORKLOAD.describe(), "(d)", "PenaltyBenchmark.round", List.of(),
        "literalOverHalfSquaredNorm", true, LITERAL_OVER_HALF_SQUARED_NORM));
    for (int n : GEMM_SIZES) {
      all.add(new Target("engine's product ÷ OpenBLAS's own, GFLOP/s, n = " + n, "(e)",
          "InterleavedGemmBenchmark.round", List.of("n", String.valueOf(n)), "engineOverBlas",
          false, ENGINE_OVER_BLAS));
    }
    for (ConvBenchmark.Layer layer : ConvBenchmark.Layer.values()) {
      all.add(new Target("the product alone ÷ conv2d, " + layer + " " + layer.describe(), "(k)",
          "ConvBenchmark.round", List.of("layer", layer.name()), "productOverConv", false,
          PRODUCT_OVER_CONV));
    }
    all.add(new Target("embedding plan, 50,000-row table ÷ 5,000-row", "(l)",
        "GatherBenchmark.round", List.of(), "mediumOverSmall", true,
        LARGER_TABLE_OVER_SMALLEST));
    all.add(new Target("embedding plan, 200,000-row table ÷ 5,000-row", "(l)",
        "GatherBenchmark.round", List.of(), "largeOverSmall", true,
        LARGER_TABLE_OVER_SMALLEST));
    return all;
  }

  /** The ratio over the measured iterations, if the run included the benchmark. */
  Optional<Metric> measured(Results results) {
    return results.secondary(key, benchmark, params.toArray(new String[0]));
  }

  boolean met(double median) {
    return atMost ? median <= bound : median >= bound;
  }

  /** "met", "**not met**", or "—" when the run did not include the benchmark. */
  String verdict(Results results) {
    return measured(results).map(m -> met(m.median()) ? "met" : "**not met**").orElse("—");
  }

  /** "≤ 1.50" or "≥ 0.950". */
  String describeBound() {
    return (atMost ? "≤ " : "≥ ") + Report.num(bound);
  }
}
