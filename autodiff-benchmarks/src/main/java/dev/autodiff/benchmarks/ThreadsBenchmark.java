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

/** The larger steps on 1 and 2 OpenBLAS threads (the setting is global, so the engine gets it too). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 7, time = 1)
@Fork(1)
public class ThreadsBenchmark {
  @Param({"W3", "W4"})
  public Workload workload;

  @Param({"ENGINE", "BLAS"})
  public Step.Impl impl;

  @Param({"1", "2"})
  public int threads;

  private Stepper stepper;

  @Setup(Level.Trial)
  public void setUp() {
    stepper = new Stepper(workload, impl, threads);
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
