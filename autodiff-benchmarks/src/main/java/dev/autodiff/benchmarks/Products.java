package dev.autodiff.benchmarks;

import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas.CblasTrans;

import org.bytedeco.openblas.global.openblas;
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
   * cblas_dgemm on the row-major data arrays, transposes as flags, β = 0 since every product
   * overwrites c. Shapes are checked first: a wrong leading dimension would read outside an array.
   */
  Products BLAS = new Products() {
    @Override
    public void multTransB(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
      check(a.numCols == b.numCols && c.numRows == a.numRows && c.numCols == b.numRows, a, b, c);
      openblas.cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, c.numRows, c.numCols,
          a.numCols, 1.0, a.data, a.numCols, b.data, b.numCols, 0.0, c.data, c.numCols);
    }

    @Override
    public void multTransA(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
      check(a.numRows == b.numRows && c.numRows == a.numCols && c.numCols == b.numCols, a, b, c);
      openblas.cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, c.numRows, c.numCols,
          a.numRows, 1.0, a.data, a.numCols, b.data, b.numCols, 0.0, c.data, c.numCols);
    }

    @Override
    public void mult(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
      check(a.numCols == b.numRows && c.numRows == a.numRows && c.numCols == b.numCols, a, b, c);
      openblas.cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, c.numRows, c.numCols,
          a.numCols, 1.0, a.data, a.numCols, b.data, b.numCols, 0.0, c.data, c.numCols);
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
