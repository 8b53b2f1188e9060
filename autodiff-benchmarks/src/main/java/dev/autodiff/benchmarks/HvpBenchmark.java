package dev.autodiff.benchmarks;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.ejml.data.DMatrixRMaj;
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
 * A Hessian-vector product against one gradient on W3's problem (784-256-10, batch 64), in turns
 * in one JVM ({@link Rotation}): the plan of J's gradient, the plan of H·v, and the same two
 * eagerly on a new tape each time. See {@link Hvp}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 9, time = 1)
@Fork(1)
public class HvpBenchmark {
  static final Workload WORKLOAD = Workload.W3;
  private static final int GRADIENT = 0;
  private static final int HVP = 1;
  private static final int EAGER_GRADIENT = 2;
  private static final int EAGER_HVP = 3;

  private Hvp problem;
  private Rotation rotation;
  /** The last result of each task, kept so that no run's work is dead. */
  private final Object[] last = new Object[4];

  /** Per iteration: µs per run of each, and their ratios. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Turns {
    final Tally tally = new Tally(4);

    @Setup(Level.Iteration)
    public void clear() {
      tally.clear();
    }

    /** µs per gradient by its plan. */
    public double gradientMicros() {
      return tally.micros(GRADIENT);
    }

    /** µs per Hessian-vector product by its plan. */
    public double hvpMicros() {
      return tally.micros(HVP);
    }

    public double eagerGradientMicros() {
      return tally.micros(EAGER_GRADIENT);
    }

    public double eagerHvpMicros() {
      return tally.micros(EAGER_HVP);
    }

    /** The plans: H·v ÷ ∇J. */
    public double hvpOverGradient() {
      return tally.ratio(HVP, GRADIENT);
    }

    /** Eagerly, on a new tape each: H·v ÷ ∇J. */
    public double eagerHvpOverGradient() {
      return tally.ratio(EAGER_HVP, EAGER_GRADIENT);
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    Blas.threads(1);
    problem = new Hvp(WORKLOAD);
    rotation = new Rotation(task(GRADIENT, problem::gradient), task(HVP, problem::hvp),
        task(EAGER_GRADIENT, problem::eagerGradient), task(EAGER_HVP, problem::eagerHvp));
    Blas.requireThreads(1);
  }

  private Runnable task(int i, Supplier<List<DMatrixRMaj>> run) {
    return () -> last[i] = run.get();
  }

  /** One round: a block of each, the one to go first rotating. */
  @Benchmark
  public void round(Turns turns) {
    rotation.round(turns.tally);
  }
}
