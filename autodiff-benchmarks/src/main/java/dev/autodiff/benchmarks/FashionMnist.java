package dev.autodiff.benchmarks;

import dev.autodiff.nn.Idx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;

/**
 * The Fashion-MNIST training set from Debian's {@code dataset-fashion-mnist}, or, where that package
 * is not installed, 60,000 seeded random rows of the same shape so the epoch still runs.
 */
record FashionMnist(DMatrixRMaj images, int[] labels, boolean real) {
  static final Path DIR = Path.of("/usr/share/datasets/fashion-mnist");
  static final int ROWS = 60_000;
  static final int PIXELS = 784;
  static final int CLASSES = 10;

  static boolean installed() {
    return Files.isRegularFile(file("train-images-idx3-ubyte"))
        && Files.isRegularFile(file("train-labels-idx1-ubyte"));
  }

  /** What the epoch runs on, in words for the report. */
  static String source() {
    return installed()
        ? "Fashion-MNIST training set (" + DIR + ")"
        : "60,000 seeded random rows (Fashion-MNIST not installed at " + DIR + ")";
  }

  static FashionMnist load() {
    if (!installed()) {
      Random random = new Random(Workload.SEED);
      DMatrixRMaj x = new DMatrixRMaj(ROWS, PIXELS);
      for (int i = 0; i < x.getNumElements(); i++) {
        x.data[i] = random.nextDouble();
      }
      int[] labels = random.ints(ROWS, 0, CLASSES).toArray();
      return new FashionMnist(x, labels, false);
    }
    try {
      return new FashionMnist(Idx.readImages(file("train-images-idx3-ubyte")),
          Idx.readLabels(file("train-labels-idx1-ubyte")), true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Debian ships the files gzipped; a plain copy is read as well. */
  private static Path file(String name) {
    Path gz = DIR.resolve(name + ".gz");
    return Files.isRegularFile(gz) ? gz : DIR.resolve(name);
  }

  /** Copies examples [from, from + x.numRows) into x and their one-hot labels into y. */
  void batch(int from, DMatrixRMaj x, DMatrixRMaj y) {
    System.arraycopy(images.data, from * PIXELS, x.data, 0, x.numRows * PIXELS);
    y.zero();
    for (int i = 0; i < y.numRows; i++) {
      y.set(i, labels[from + i], 1.0);
    }
  }
}
