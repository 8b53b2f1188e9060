package dev.autodiff.benchmarks;

import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Warmup;

/** One SGD step of each workload, by each implementation, on one BLAS thread. */
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 7, time = 1)
@Fork(1)
public class StepBenchmark extends StepperBenchmark {
  /**
   * Small, so that no value overflows or reaches the slow subnormal range within an iteration: W1's
   * bias fits its batch of one exactly, so the penalty shrinks its weights by (1 − η) per step, and
   * an iteration runs up to ~10⁷ steps.
   */
  public static final double ETA = 1e-5;

  @Param({"W1", "W2", "W3", "W4"})
  public Workload workload;

  @Param({"EAGER", "PLAN", "EJML", "BLAS"})
  public Step.Impl impl;

  @Override
  Stepper stepper() {
    return new Stepper(workload, impl, 1);
  }
}
