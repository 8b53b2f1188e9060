package dev.autodiff.benchmarks;

import java.util.function.Function;

/** A step ready to time: seeded data and weights, OpenBLAS on the given threads, one step done. */
final class Stepper {
  private final Workload.Problem problem;
  private final Step step;

  Stepper(Workload workload, Step.Impl impl, int threads) {
    this(workload, threads, problem -> impl.create(problem, StepBenchmark.ETA));
  }

  Stepper(Workload workload, int threads, Function<Workload.Problem, Step> create) {
    Blas.threads(threads);
    problem = workload.problem(Workload.SEED);
    step = create.apply(problem);
    step.step();
    Blas.requireThreads(threads);
  }

  /**
   * Back to the first weights, copied in place, before every iteration: the gc profiler counts what
   * an iteration's setup allocates as if the steps had.
   */
  void reset() {
    step.params().setTo(problem.params());
  }

  void step() {
    step.step();
  }
}
