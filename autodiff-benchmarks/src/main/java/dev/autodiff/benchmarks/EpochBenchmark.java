package dev.autodiff.benchmarks;

import dev.autodiff.benchmarks.Workload.Params;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.ejml.data.DMatrixRMaj;
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
 * One epoch of SGD on Fashion-MNIST, 784-256-10, batch 64, in file order: the same objective as the
 * step benchmarks, J = ½‖Y − V‖²_F + ½Σ‖W‖²_F with one-hot Y, from the same initial weights each
 * epoch. The 32 examples left after 937 full batches are skipped. The plan (what {@code
 * Trainer.fit} runs) and the eager loop are compared with the hand BLAS step; a hand EJML epoch
 * takes about 30 s here, too long for the run's budget. A single epoch is timed, JIT warm-up
 * included, as a user running one would see it; the plan is compiled before it starts.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx4g")
public class EpochBenchmark {
  public static final int BATCH = 64;
  public static final int[] SIZES = {FashionMnist.PIXELS, 256, FashionMnist.CLASSES};
  public static final double ETA = 1e-3;

  @Param({"PLAN", "EAGER", "BLAS"})
  public Step.Impl impl;

  private FashionMnist data;
  private final DMatrixRMaj x = new DMatrixRMaj(BATCH, FashionMnist.PIXELS);
  private final DMatrixRMaj y = new DMatrixRMaj(BATCH, FashionMnist.CLASSES);
  private Step step;

  @Setup(Level.Trial)
  public void load() {
    Blas.threads(1);
    data = FashionMnist.load();
  }

  @Setup(Level.Iteration)
  public void freshWeights() {
    step = impl.create(x, y, Params.initial(SIZES, new Random(Workload.SEED)), ETA);
  }

  @Benchmark
  public Params epoch() {
    return epoch(data, x, y, step);
  }

  static Params epoch(FashionMnist data, DMatrixRMaj x, DMatrixRMaj y, Step step) {
    for (int from = 0; from + BATCH <= data.labels().length; from += BATCH) {
      data.batch(from, x, y);
      step.step();
    }
    return step.params();
  }
}
