package dev.autodiff.core;

import java.util.Random;
import org.ejml.data.DMatrixRMaj;

/** Random test matrices. */
public final class Matrices {
  private Matrices() {}

  /** Entries uniform in [lo, hi). */
  public static DMatrixRMaj uniform(Random rng, int rows, int cols, double lo, double hi) {
    DMatrixRMaj m = new DMatrixRMaj(rows, cols);
    for (int k = 0; k < m.getNumElements(); k++) {
      m.data[k] = lo + (hi - lo) * rng.nextDouble();
    }
    return m;
  }
}
