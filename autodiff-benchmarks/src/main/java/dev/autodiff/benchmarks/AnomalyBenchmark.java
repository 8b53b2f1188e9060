package dev.autodiff.benchmarks;

import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The eager step with anomaly detection off (the default: one null check per op) and on (a stack
 * trace per node and a NaN scan per value and gradient), on the two smaller workloads, where
 * per-node costs show most.
 */
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AnomalyBenchmark extends StepperBenchmark {
  @Param({"W1", "W2"})
  public Workload workload;

  @Param({"false", "true"})
  public boolean anomalies;

  @Override
  Stepper stepper() {
    return new Stepper(workload, 1, problem -> new EagerStep(problem.x(), problem.y(),
        problem.params().copy(), StepBenchmark.ETA, anomalies));
  }
}
