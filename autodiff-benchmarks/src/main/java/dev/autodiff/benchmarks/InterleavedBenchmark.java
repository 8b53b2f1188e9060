package dev.autodiff.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * The engine's step and the two hand-written ones in one process, in turns ({@link Rotation}):
 * whatever slows the machine for a while (other tenants, clock) falls on all three alike. The ratios
 * are taken within each iteration and reported as JMH secondary results; {@link StepBenchmark} gives
 * each implementation its own process instead.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 9, time = 1)
@Fork(1)
public class InterleavedBenchmark {
  /** The implementations taking turns; the ratios are of the first to the others. */
  static final Step.Impl[] IMPLS = {Step.Impl.ENGINE, Step.Impl.EJML, Step.Impl.BLAS};
  @Param({"W1", "W2", "W3", "W4"})
  public Workload workload;

  private Stepper[] steppers;
  private Rotation rotation;

  /** Per iteration: time and steps of each implementation, and the ratios JMH reports. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Turns {
    final Tally tally = new Tally(IMPLS.length);

    @Setup(Level.Iteration)
    public void clear() {
      tally.clear();
    }

    /** µs per step of the engine (closed tapes), hand EJML and hand BLAS in this iteration. */
    public double engineMicros() {
      return tally.micros(0);
    }

    public double ejmlMicros() {
      return tally.micros(1);
    }

    public double blasMicros() {
      return tally.micros(2);
    }

    /** Engine µs per step ÷ hand EJML µs per step, within this iteration. */
    public double engineOverEjml() {
      return tally.ratio(0, 1);
    }

    /** Engine µs per step ÷ hand BLAS µs per step, within this iteration. */
    public double engineOverBlas() {
      return tally.ratio(0, 2);
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    steppers = new Stepper[IMPLS.length];
    Runnable[] steps = new Runnable[IMPLS.length];
    for (int i = 0; i < IMPLS.length; i++) {
      Stepper s = steppers[i] = new Stepper(workload, IMPLS[i], 1);
      steps[i] = s::step;
    }
    rotation = new Rotation(steps);
  }

  @Setup(Level.Iteration)
  public void resetWeights() {
    for (Stepper s : steppers) {
      s.reset();
    }
  }

  /** One round: a block of each implementation, the one to go first rotating. */
  @Benchmark
  public void round(Turns turns) {
    rotation.round(turns.tally);
  }
}
