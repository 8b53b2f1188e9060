package dev.autodiff.benchmarks;

/** A step ready to time: seeded data and weights, OpenBLAS on the given threads, one step done. */
final class Stepper {
  private final Workload.Problem problem;
  private final Step step;

  Stepper(Workload workload, Step.Impl impl, int threads) {
    Blas.threads(threads);
    problem = workload.problem(Workload.SEED);
    step = impl.create(problem, StepBenchmark.ETA);
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
