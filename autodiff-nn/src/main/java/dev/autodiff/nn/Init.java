package dev.autodiff.nn;

import java.util.Random;
import org.ejml.data.DMatrixRMaj;

/** Initial values: random, drawn in row-major order from the given source, or constant. */
final class Init {
  private Init() {}

  /** Each entry from N(0, sd²). m Modified. */
  static void normal(DMatrixRMaj m, double sd, Random random) {
    for (int k = 0; k < m.getNumElements(); k++) {
      m.data[k] = sd * random.nextGaussian();
    }
  }

  /** A 1×width row of ones (a normalisation's γ, a running variance). */
  static DMatrixRMaj ones(int width) {
    DMatrixRMaj m = new DMatrixRMaj(1, width);
    m.fill(1);
    return m;
  }

  /** Each entry from U(−limit, limit). m Modified. */
  static void uniform(DMatrixRMaj m, double limit, Random random) {
    for (int k = 0; k < m.getNumElements(); k++) {
      m.data[k] = limit * (2 * random.nextDouble() - 1);
    }
  }
}
