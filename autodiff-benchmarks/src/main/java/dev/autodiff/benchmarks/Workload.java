package dev.autodiff.benchmarks;

import java.util.Arrays;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;

/**
 * The networks the step benchmarks train: layer sizes from input to output and the batch size. Hidden
 * layers are relu(X Wᵀ ⊕ b), the output layer is X Wᵀ ⊕ b, with W out×in and b 1×out.
 */
public enum Workload {
  W1(1, 2, 3, 2),
  W2(32, 64, 32, 10),
  W3(64, 784, 256, 10),
  W4(256, 784, 1024, 1024, 10);

  /** The seed every benchmark and test draws its data and initial weights from. */
  public static final long SEED = 20240611L;

  private final int batch;
  private final int[] sizes;

  Workload(int batch, int... sizes) {
    this.batch = batch;
    this.sizes = sizes;
  }

  public int batch() {
    return batch;
  }

  /** Layer sizes, input first. */
  public int[] sizes() {
    return sizes.clone();
  }

  /** E.g. "784-256-10, batch 64". */
  public String describe() {
    return layers(sizes) + ", batch " + batch;
  }

  /** Layer sizes as "784-256-10". */
  static String layers(int... sizes) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < sizes.length; i++) {
      s.append(i == 0 ? "" : "-").append(sizes[i]);
    }
    return s.toString();
  }

  /** Gaussian inputs and targets, batch×in and batch×out, with fresh initial weights. */
  public Problem problem(long seed) {
    Random random = new Random(seed);
    DMatrixRMaj x = gaussian(batch, sizes[0], 1.0, random);
    DMatrixRMaj y = gaussian(batch, sizes[sizes.length - 1], 1.0, random);
    return new Problem(x, y, Params.initial(sizes, random));
  }

  static DMatrixRMaj gaussian(int rows, int cols, double sigma, Random random) {
    DMatrixRMaj m = new DMatrixRMaj(rows, cols);
    for (int i = 0; i < m.getNumElements(); i++) {
      m.data[i] = sigma * random.nextGaussian();
    }
    return m;
  }

  /** One batch and the weights to start from. */
  public record Problem(DMatrixRMaj x, DMatrixRMaj y, Params params) {}

  /** The weights W_k (out×in) and biases b_k (1×out) of each layer. */
  public record Params(DMatrixRMaj[] w, DMatrixRMaj[] b) {
    /** He-initialised weights, N(0, 2/in), and small biases so that no relu starts dead. */
    static Params initial(int[] sizes, Random random) {
      int layers = sizes.length - 1;
      DMatrixRMaj[] w = new DMatrixRMaj[layers];
      DMatrixRMaj[] b = new DMatrixRMaj[layers];
      for (int k = 0; k < layers; k++) {
        w[k] = gaussian(sizes[k + 1], sizes[k], Math.sqrt(2.0 / sizes[k]), random);
        b[k] = gaussian(1, sizes[k + 1], 0.1, random);
      }
      return new Params(w, b);
    }

    /** A deep copy, so that each implementation starts from the same values and owns its own. */
    public Params copy() {
      return new Params(copyAll(w), copyAll(b));
    }

    private static DMatrixRMaj[] copyAll(DMatrixRMaj[] ms) {
      return Arrays.stream(ms).map(DMatrixRMaj::copy).toArray(DMatrixRMaj[]::new);
    }

    public int layers() {
      return w.length;
    }

    /** Copies the values of from, of the same shapes, into these matrices: no allocation. */
    public void setTo(Params from) {
      for (int k = 0; k < layers(); k++) {
        w[k].setTo(from.w[k]);
        b[k].setTo(from.b[k]);
      }
    }
  }
}
