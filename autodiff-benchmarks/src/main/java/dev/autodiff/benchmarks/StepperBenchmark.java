package dev.autodiff.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What the step benchmarks share: µs per step, the weights reset before each iteration, and
 * {@code step} timing one {@link Stepper#step}. A subclass says how its stepper is made.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public abstract class StepperBenchmark {
  private Stepper stepper;

  /** The stepper for this trial's parameters. */
  abstract Stepper stepper();

  @Setup(Level.Trial)
  public void setUp() {
    stepper = stepper();
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
