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

/** One SGD step of each workload, by each implementation, on one BLAS thread. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 7, time = 1)
@Fork(1)
public class StepBenchmark {
  /**
   * Small, so that no value overflows or reaches the slow subnormal range within an iteration: W1's
   * bias fits its batch of one exactly, so the penalty shrinks its weights by (1 − η) per step, and
   * an iteration runs up to ~10⁷ steps.
   */
  public static final double ETA = 1e-5;

  @Param({"W1", "W2", "W3", "W4"})
  public Workload workload;

  @Param({"ENGINE", "ENGINE_UNCLOSED", "ENGINE_RERUN", "EJML", "BLAS"})
  public Step.Impl impl;

  private Stepper stepper;

  @Setup(Level.Trial)
  public void setUp() {
    stepper = new Stepper(workload, impl, 1);
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
