package dev.autodiff.benchmarks;

import dev.autodiff.core.Node;
import dev.autodiff.core.Plan;
import dev.autodiff.core.Tape;
import java.util.Random;
import java.util.concurrent.TimeUnit;
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
 * An embedding lookup and its gradient as a plan: J = Σ gatherRows(E, ids) ⊙ R for 4,096 ids into
 * tables E of 64 columns and three sizes, the same ids each time (all below the smallest table's
 * size), in turns in one JVM ({@link Rotation}). A cost of ids × width takes the same time for
 * every table; a cost that grew with the table would show in the ratios.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 7, time = 1)
@Fork(1)
public class GatherBenchmark {
  static final int[] TABLE_ROWS = {5_000, 50_000, 200_000};
  static final int WIDTH = 64;
  static final int IDS = 4_096;

  private Rotation rotation;

  /** Per iteration: µs of each table's run, and each larger table's ÷ the smallest's. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Turns {
    final Tally tally = new Tally(TABLE_ROWS.length);

    @Setup(Level.Iteration)
    public void clear() {
      tally.clear();
    }

    public double smallMicros() {
      return tally.micros(0);
    }

    public double mediumMicros() {
      return tally.micros(1);
    }

    public double largeMicros() {
      return tally.micros(2);
    }

    /** 50,000 rows ÷ 5,000. */
    public double mediumOverSmall() {
      return tally.ratio(1, 0);
    }

    /** 200,000 rows ÷ 5,000. */
    public double largeOverSmall() {
      return tally.ratio(2, 0);
    }
  }

  /** A table of the given rows, a variable on a tape of its own. */
  static Node table(int rows, Random random) {
    return new Tape().variable("E", Workload.gaussian(rows, WIDTH, 0.1, random));
  }

  /** The plan of J and ∂J/∂E. */
  static Plan plan(Node table, int[] ids, DMatrixRMaj readout) {
    Node J = table.gatherRows(ids).mul(table.tape().constant("R", readout)).sum();
    return Plan.compile(J, table);
  }

  static int[] ids(Random random) {
    int[] ids = new int[IDS];
    for (int i = 0; i < IDS; i++) {
      ids[i] = random.nextInt(TABLE_ROWS[0]);
    }
    return ids;
  }

  @Setup(Level.Trial)
  public void setUp() {
    Random random = new Random(Workload.SEED);
    int[] ids = ids(random);
    DMatrixRMaj readout = Workload.gaussian(IDS, WIDTH, 1, random);
    Runnable[] tasks = new Runnable[TABLE_ROWS.length];
    for (int t = 0; t < TABLE_ROWS.length; t++) {
      Plan p = plan(table(TABLE_ROWS[t], random), ids, readout);
      p.run();
      tasks[t] = p::run;
    }
    rotation = new Rotation(tasks);
  }

  /** One round: a block of each table, the one to go first rotating. */
  @Benchmark
  public void round(Turns turns) {
    rotation.round(turns.tally);
  }
}
