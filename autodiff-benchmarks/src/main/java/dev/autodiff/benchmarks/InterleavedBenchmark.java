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
 * The eager loop, the plan and the two hand-written steps in one process, in turns ({@link
 * Rotation}): whatever slows the machine for a while (other tenants, clock) falls on all four
 * alike. The ratios are taken within each iteration and reported as JMH secondary results; {@link
 * StepBenchmark} gives each implementation its own process instead.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 9, time = 1)
@Fork(1)
public class InterleavedBenchmark {
  /** The implementations taking turns, by their place in {@link Step.Impl}. */
  static final Step.Impl[] IMPLS = Step.Impl.values();
  private static final int EAGER = Step.Impl.EAGER.ordinal();
  private static final int PLAN = Step.Impl.PLAN.ordinal();
  private static final int EJML = Step.Impl.EJML.ordinal();
  private static final int BLAS = Step.Impl.BLAS.ordinal();

  @Param({"W1", "W2", "W3", "W4"})
  public Workload workload;

  private Stepper[] steppers;
  private Rotation rotation;

  /** Per iteration: µs per step of each implementation, and the ratios the targets are set on. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Turns {
    final Tally tally = new Tally(IMPLS.length);

    @Setup(Level.Iteration)
    public void clear() {
      tally.clear();
    }

    public double eagerMicros() {
      return tally.micros(EAGER);
    }

    public double planMicros() {
      return tally.micros(PLAN);
    }

    public double ejmlMicros() {
      return tally.micros(EJML);
    }

    public double blasMicros() {
      return tally.micros(BLAS);
    }

    public double planOverEjml() {
      return tally.ratio(PLAN, EJML);
    }

    public double planOverBlas() {
      return tally.ratio(PLAN, BLAS);
    }

    public double eagerOverEjml() {
      return tally.ratio(EAGER, EJML);
    }

    public double eagerOverPlan() {
      return tally.ratio(EAGER, PLAN);
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
