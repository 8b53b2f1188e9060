package dev.autodiff.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

/**
 * The IDX reader on the real data of Debian's dataset-fashion-mnist, when installed (.ci/run
 * installs it): 60,000 + 10,000 images of 28×28, ten balanced classes.
 */
class FashionMnistDataTest {
  static final Path DATA = Path.of("/usr/share/datasets/fashion-mnist");

  @Test
  void readsTheInstalledDataSet() throws IOException {
    assumeTrue(Files.isDirectory(DATA), "dataset-fashion-mnist is not installed");
    check("train", 60_000, 6_000);
    check("t10k", 10_000, 1_000);
  }

  static void check(String split, int n, int perClass) throws IOException {
    DMatrixRMaj X = Idx.readImages(DATA.resolve(split + "-images-idx3-ubyte.gz"));
    int[] y = Idx.readLabels(DATA.resolve(split + "-labels-idx1-ubyte.gz"));
    assertEquals(n, X.numRows);
    assertEquals(28 * 28, X.numCols);
    assertEquals(n, y.length);
    assertEquals(0.0, CommonOps_DDRM.elementMin(X));
    assertEquals(1.0, CommonOps_DDRM.elementMax(X));
    int[] counts = new int[10];
    for (int label : y) {
      counts[label]++;
    }
    for (int c = 0; c < 10; c++) {
      assertEquals(perClass, counts[c], split + " class " + c);
    }
  }
}
