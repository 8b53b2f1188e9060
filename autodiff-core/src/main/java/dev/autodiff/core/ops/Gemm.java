package dev.autodiff.core.ops;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * Every matrix product the ops need, in one place, with transposes as flags rather than copies.
 */
public final class Gemm {
  private Gemm() {}

  /** c = a·b. c Modified; a, b Not modified. */
  public static void mult(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
    CommonOps_DDRM.mult(a, b, c);
  }

  /** c = a·bᵀ. */
  public static void multTransB(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
    CommonOps_DDRM.multTransB(a, b, c);
  }

  /** c += a·b. */
  public static void multAdd(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
    CommonOps_DDRM.multAdd(a, b, c);
  }

  /** c += aᵀ·b. */
  public static void multAddTransA(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
    CommonOps_DDRM.multAddTransA(a, b, c);
  }

  /** c += a·bᵀ. */
  public static void multAddTransB(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
    CommonOps_DDRM.multAddTransB(a, b, c);
  }
}
