package dev.autodiff.nn;

import java.util.Random;
import org.ejml.data.DMatrixRMaj;

/** Seeded test matrices. */
final class Matrices {
  private Matrices() {}

  /** Entries uniform in (−1, 1). */
  static DMatrixRMaj random(Random r, int rows, int cols) {
    DMatrixRMaj m = new DMatrixRMaj(rows, cols);
    for (int k = 0; k < m.getNumElements(); k++) {
      m.data[k] = 2 * r.nextDouble() - 1;
    }
    return m;
  }

  /** Entries uniform in (lo, hi). */
  static DMatrixRMaj uniform(Random r, int rows, int cols, double lo, double hi) {
    DMatrixRMaj m = new DMatrixRMaj(rows, cols);
    for (int k = 0; k < m.getNumElements(); k++) {
      m.data[k] = lo + (hi - lo) * r.nextDouble();
    }
    return m;
  }
}
