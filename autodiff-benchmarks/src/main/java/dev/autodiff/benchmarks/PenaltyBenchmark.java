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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The plan's step on W3 (784-256-10, batch 64) with the penalty spelt as the formula reads,
 * {@code W.frobeniusNorm().square().scale(0.5)}, against {@code W.halfSquaredNorm()}, in turns in
 * one JVM ({@link Rotation}): what writing the penalty literally costs once the planner has seen
 * it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 9, time = 1)
@Fork(1)
public class PenaltyBenchmark {
  static final Workload WORKLOAD = Workload.W3;
  private static final int LITERAL = Network.Penalty.LITERAL.ordinal();
  private static final int HALF_SQUARED_NORM = Network.Penalty.HALF_SQUARED_NORM.ordinal();

  private Stepper[] steppers;
  private Rotation rotation;

  /** Per iteration: µs per step of each spelling, and their ratio. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Turns {
    final Tally tally = new Tally(Network.Penalty.values().length);

    @Setup(Level.Iteration)
    public void clear() {
      tally.clear();
    }

    public double literalMicros() {
      return tally.micros(LITERAL);
    }

    public double halfSquaredNormMicros() {
      return tally.micros(HALF_SQUARED_NORM);
    }

    public double literalOverHalfSquaredNorm() {
      return tally.ratio(LITERAL, HALF_SQUARED_NORM);
    }
  }

  /** The plan's step with the penalty spelt one way, on a copy of the first weights. */
  static Step step(Workload.Problem problem, double eta, Network.Penalty penalty) {
    return new PlanStep(problem.x(), problem.y(), problem.params().copy(), eta, penalty);
  }

  @Setup(Level.Trial)
  public void setUp() {
    Network.Penalty[] penalties = Network.Penalty.values();
    steppers = new Stepper[penalties.length];
    Runnable[] steps = new Runnable[penalties.length];
    for (Network.Penalty p : penalties) {
      Stepper s = steppers[p.ordinal()] =
          new Stepper(WORKLOAD, 1, problem -> step(problem, StepBenchmark.ETA, p));
      steps[p.ordinal()] = s::step;
    }
    rotation = new Rotation(steps);
  }

  @Setup(Level.Iteration)
  public void resetWeights() {
    for (Stepper s : steppers) {
      s.reset();
    }
  }

  /** One round: a block of each spelling, the one to go first rotating. */
  @Benchmark
  public void round(Turns turns) {
    rotation.round(turns.tally);
  }
}
