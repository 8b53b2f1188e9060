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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The engine's product c = a·b ({@code Gemm.mult}) and OpenBLAS's own call on off-heap memory, in
 * turns in one JVM ({@link Rotation}): the engine's GFLOP/s beside what the library reached in the
 * same seconds, and their ratio, what the engine's call on Java arrays costs on top of the library.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 7, time = 1)
@Fork(1)
public class InterleavedGemmBenchmark {
  @Param({"256", "512", "1024"})
  public int n;

  private Square s;
  private Rotation rotation;

  /** Per iteration: the GFLOP/s of each path and their ratio. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Turns {
    final Tally tally = new Tally(2);
    /** 2n³, set by the benchmark. */
    double flops;

    @Setup(Level.Iteration)
    public void clear() {
      tally.clear();
    }

    /** GFLOP/s of {@code Gemm.mult} in this iteration. */
    public double engineGflops() {
      return flops / 1e3 / tally.micros(0);
    }

    /** GFLOP/s of cblas_dgemm on off-heap copies in this iteration. */
    public double blasGflops() {
      return flops / 1e3 / tally.micros(1);
    }

    /** The engine's speed ÷ OpenBLAS's own, in the same seconds: 1 when the call costs nothing. */
    public double engineOverBlas() {
      return 1 / tally.ratio(0, 1);
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    s = new Square(n);
    rotation = new Rotation(s::engine, s::offHeap);
  }

  @TearDown
  public void tearDown() {
    s.close();
  }

  /** One round: a block of products on each path, the one to go first rotating. */
  @Benchmark
  public void round(Turns turns) {
    turns.flops = 2.0 * n * n * n;
    rotation.round(turns.tally);
  }
}
