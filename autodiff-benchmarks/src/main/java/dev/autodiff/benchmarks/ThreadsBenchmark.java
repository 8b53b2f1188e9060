package dev.autodiff.benchmarks;

import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Warmup;

/** The larger steps on 1 and 2 OpenBLAS threads (the setting is global, so the plan gets it too). */
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 7, time = 1)
@Fork(1)
public class ThreadsBenchmark extends StepperBenchmark {
  @Param({"W3", "W4"})
  public Workload workload;

  @Param({"PLAN", "BLAS"})
  public Step.Impl impl;

  @Param({"1", "2"})
  public int threads;

  @Override
  Stepper stepper() {
    return new Stepper(workload, impl, threads);
  }
}
