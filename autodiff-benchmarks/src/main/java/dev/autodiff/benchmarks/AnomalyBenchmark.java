package dev.autodiff.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The engine's step with anomaly detection off (the default: one null check per op) and on (a
 * stack trace per node and a NaN scan per value and gradient), on the two smaller workloads, where
 * per-node costs show most.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AnomalyBenchmark {
  @Param({"W1", "W2"})
  public Workload workload;

  @Param({"false", "true"})
  public boolean anomalies;

  private Stepper stepper;

  @Setup(Level.Trial)
  public void setUp() {
    stepper = new Stepper(workload, 1, problem -> new EngineStep(problem.x(), problem.y(),
        problem.params().copy(), StepBenchmark.ETA, true, anomalies));
  }

  @Setup(Level.Iteration)
  public void resetWeights() {
    stepper.reset();
  }

  @Benchmark
  public void step() {
    stepper.step();
  }
}
