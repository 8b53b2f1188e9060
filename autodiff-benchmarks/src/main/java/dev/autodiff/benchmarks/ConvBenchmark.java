package dev.autodiff.benchmarks;

import dev.autodiff.core.kernels.Gemm;
import dev.autodiff.core.kernels.Images;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * conv2d on a LeNet-sized layer against the product it is built on, in turns in one JVM
 * ({@link Rotation}): the convolution (im2col, the product, the columns back to one row per image,
 * a block of images at a time) and the whole batch's product alone on columns made beforehand.
 * Their ratio is the share of the product's speed the convolution keeps.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 7, time = 1)
@Fork(1)
public class ConvBenchmark {
  /** LeNet's two convolutions on a batch of 64: images C×H×W, F kernels of k×k, no padding. */
  public enum Layer {
    CONV1(1, 28, 28, 6, 5), CONV2(6, 14, 14, 16, 5);

    final int channels;
    final int size;
    final int width;
    final int filters;
    final int k;

    Layer(int channels, int size, int width, int filters, int k) {
      this.channels = channels;
      this.size = size;
      this.width = width;
      this.filters = filters;
      this.k = k;
    }

    /** E.g. "1→6 channels, 5×5 kernels on 28×28, batch 64". */
    String describe() {
      return channels + "→" + filters + " channels, " + k + "×" + k + " kernels on " + size + "×"
          + width + ", batch " + BATCH;
    }
  }

  static final int BATCH = 64;
  private static final int CONV = 0;
  private static final int PRODUCT = 1;

  @Param({"CONV1", "CONV2"})
  public Layer layer;

  private Rotation rotation;

  /** Per iteration: µs of each, and the product's time ÷ the convolution's. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Turns {
    final Tally tally = new Tally(2);

    @Setup(Level.Iteration)
    public void clear() {
      tally.clear();
    }

    public double convMicros() {
      return tally.micros(CONV);
    }

    public double productMicros() {
      return tally.micros(PRODUCT);
    }

    /** The product alone ÷ the convolution: the share of the product's speed it keeps. */
    public double productOverConv() {
      return tally.ratio(PRODUCT, CONV);
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    Random random = new Random(Workload.SEED);
    Images.Window w = Images.Window.of(layer.channels, layer.size, layer.width, layer.k, layer.k,
        1, 0);
    DMatrixRMaj x = Workload.gaussian(BATCH, w.imageSize(), 1, random);
    DMatrixRMaj k = Workload.gaussian(layer.filters, layer.channels * layer.k * layer.k, 0.1,
        random);
    DMatrixRMaj y = new DMatrixRMaj(BATCH, layer.filters * w.positions());
    DMatrixRMaj cols = new DMatrixRMaj(layer.channels * layer.k * layer.k,
        BATCH * w.positions());
    Images.im2col(x, w, cols);
    DMatrixRMaj product = new DMatrixRMaj(layer.filters, BATCH * w.positions());
    Runnable[] tasks = new Runnable[2];
    tasks[CONV] = () -> Images.conv2d(x, k, w, y);
    tasks[PRODUCT] = () -> Gemm.mult(k, cols, product);
    rotation = new Rotation(tasks);
  }

  /** One round: a block of each, the one to go first rotating. */
  @Benchmark
  public void round(Turns turns) {
    rotation.round(turns.tally);
  }
}
