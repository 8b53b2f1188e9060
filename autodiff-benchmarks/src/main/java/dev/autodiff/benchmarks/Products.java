package dev.autodiff.benchmarks;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The three matrix products of a hand-written step, so that one copy of the step's math serves both
 * EJML and OpenBLAS. c is preallocated with its final shape; a and b are not modified.
 */
interface Products {
  /** c = a·bᵀ: the layer's H Wᵀ. */
  void multTransB(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c);

  /** c = aᵀ·b: ∂J/∂W = δᵀ H. */
  void multTransA(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c);

  /** c = a·b: δ W, the gradient passed to the layer below. */
  void mult(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c);

  Products EJML = new Products() {
    @Override
    public void multTransB(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
      CommonOps_DDRM.multTransB(a, b, c);
    }

    @Override
    public void multTransA(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
      CommonOps_DDRM.multTransA(a, b, c);
    }

    @Override
    public void mult(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
      CommonOps_DDRM.mult(a, b, c);
    }
  };

  /**
   * OpenBLAS's dgemm on the row-major data arrays, through netlib's JNI binding (the arrays pinned,
   * not copied) as the engine's large products, transposes as flags, β = 0 since every product
   * overwrites c. Shapes are checked first: a wrong leading dimension would read outside an array.
   */
  Products BLAS = new Products() {
    private final dev.ludovic.netlib.blas.BLAS blas = Blas.netlib();

    @Override
    public void multTransB(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
      check(a.numCols == b.numCols && c.numRows == a.numRows && c.numCols == b.numRows, a, b, c);
      dgemm(false, true, a, b, c);
    }

    @Override
    public void multTransA(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
      check(a.numRows == b.numRows && c.numRows == a.numCols && c.numCols == b.numCols, a, b, c);
      dgemm(true, false, a, b, c);
    }

    @Override
    public void mult(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
      check(a.numCols == b.numRows && c.numRows == a.numRows && c.numCols == b.numCols, a, b, c);
      dgemm(false, false, a, b, c);
    }

    /** Column-major dgemm sees the row-major c = op(a)·op(b) as cᵀ = op(b)ᵀ·op(a)ᵀ. */
    private void dgemm(boolean ta, boolean tb, DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
      int k = ta ? a.numRows : a.numCols;
      blas.dgemm(tb ? "T" : "N", ta ? "T" : "N", c.numCols, c.numRows, k, 1.0, b.data,
          b.numCols, a.data, a.numCols, 0.0, c.data, c.numCols);
    }

    private void check(boolean ok, DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
      if (!ok) {
        throw new IllegalArgumentException("dgemm: shapes do not agree: a " + a.numRows + "x"
            + a.numCols + ", b " + b.numRows + "x" + b.numCols + ", c " + c.numRows + "x"
            + c.numCols);
      }
    }
  };
}
