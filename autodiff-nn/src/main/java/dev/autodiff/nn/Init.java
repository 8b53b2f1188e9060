package dev.autodiff.nn;

import java.util.Random;
import org.ejml.data.DMatrixRMaj;

/** Random initial values, drawn in row-major order from the given source. */
final class Init {
  private Init() {}

  /** Each entry from N(0, sd²). m Modified. */
  static void normal(DMatrixRMaj m, double sd, Random random) {
    for (int k = 0; k < m.getNumElements(); k++) {
      m.data[k] = sd * random.nextGaussian();
    }
  }

  /** Each entry from U(−limit, limit). m Modified. */
  static void uniform(DMatrixRMaj m, double limit, Random random) {
    for (int k = 0; k < m.getNumElements(); k++) {
      m.data[k] = limit * (2 * random.nextDouble() - 1);
    }
  }
}
