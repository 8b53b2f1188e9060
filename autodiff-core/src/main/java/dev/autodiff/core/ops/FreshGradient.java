package dev.autodiff.core.ops;

import org.ejml.data.DMatrixRMaj;

/**
 * A gradient buffer the tape has just allocated and handed to one op's backward: all zeros until
 * that op has written it. An op that {@link #claim claims} it may assign its contribution instead
 * of adding it, which spares a large product reading the zeros back in (matmul's weight gradient).
 */
public final class FreshGradient extends DMatrixRMaj {
  private boolean fresh = true;

  public FreshGradient(int rows, int cols) {
    super(rows, cols);
  }

  /**
   * True once for a fresh buffer, so that the caller writes it rather than adds to it; false for any
   * other matrix and for a buffer claimed before (the same node as both inputs of one op).
   */
  public static boolean claim(DMatrixRMaj m) {
    if (m instanceof FreshGradient f && f.fresh) {
      f.fresh = false;
      return true;
    }
    return false;
  }

  /** Zeros again, for reuse by the next backward of a re-run tape. */
  public void reset() {
    zero();
    fresh = true;
  }

  /** Marks m as written: the tape calls this after each op's backward. */
  public static void written(DMatrixRMaj m) {
    if (m instanceof FreshGradient f) {
      f.fresh = false;
    }
  }
}
