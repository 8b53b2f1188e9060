package dev.autodiff.core.ops;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * Every matrix product the ops need, in one place, with transposes as flags rather than copies.
 *
 * <p>Products of m·n·k ≥ {@value #CUTOVER} run on OpenBLAS (natives bundled in the
 * {@code org.bytedeco:openblas} jar, one thread unless {@code -Dautodiff.blas.threads=N}); smaller
 * ones on EJML, whose loops beat the native call and its copies there. Both agree to rounding
 * (1e-12 relative). {@code -Dautodiff.gemm=auto|ejml|blas} picks the backend at start-up, {@link
 * #use} at run time. Where the natives cannot load (another platform), {@code auto} quietly stays
 * on EJML and {@code blas} fails, saying why.
 */
public final class Gemm {
  /** Where products run. */
  public enum Backend {
    /** OpenBLAS for products of m·n·k ≥ {@value Gemm#CUTOVER} when it loads, else EJML. */
    AUTO,
    /** EJML only. */
    EJML,
    /** OpenBLAS for every product. */
    BLAS
  }

  /** Below this m·n·k EJML is faster than the native call (measured: 4×4×4 74 ns vs 150 ns). */
  public static final long CUTOVER = 512;

  private static volatile Backend backend = initial();

  private Gemm() {}

  private static Backend initial() {
    String p = System.getProperty("autodiff.gemm", "auto");
    Backend b;
    try {
      b = Backend.valueOf(p.trim().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "-Dautodiff.gemm=" + p + ": expected auto, ejml or blas", e);
    }
    if (b == Backend.BLAS) {
      Blas.require();
    }
    return b;
  }

  /** The backend in use. */
  public static Backend backend() {
    return backend;
  }

  /**
   * Switches the backend for every thread; returns the previous one.
   *
   * @throws IllegalStateException for {@code BLAS} when OpenBLAS cannot be loaded, saying why
   */
  public static Backend use(Backend b) {
    checkNotNull(b, "backend");
    if (b == Backend.BLAS) {
      Blas.require();
    }
    Backend old = backend;
    backend = b;
    return old;
  }

  /** True when OpenBLAS loaded (or can be): {@code auto} then sends large products to it. */
  public static boolean blasAvailable() {
    return Blas.failure() == null;
  }

  /** c = a·b. c Modified (shaped a.rows × b.cols); a, b Not modified. */
  public static void mult(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
    product(false, false, false, a, b, c);
  }

  /** c = a·bᵀ. */
  public static void multTransB(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
    product(false, true, false, a, b, c);
  }

  /** c = aᵀ·b. */
  public static void multTransA(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
    product(true, false, false, a, b, c);
  }

  /** c += a·b. */
  public static void multAdd(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
    product(false, false, true, a, b, c);
  }

  /** c += aᵀ·b. */
  public static void multAddTransA(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
    product(true, false, true, a, b, c);
  }

  /** c += a·bᵀ. */
  public static void multAddTransB(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
    product(false, true, true, a, b, c);
  }

  /** c (+)= op(a)·op(b) on the backend the size calls for. */
  private static void product(boolean ta, boolean tb, boolean add, DMatrixRMaj a, DMatrixRMaj b,
      DMatrixRMaj c) {
    if (blas(ta ? a.numCols : a.numRows, tb ? b.numRows : b.numCols,
        ta ? a.numRows : a.numCols)) {
      gemm(ta, tb, a, b, add ? 1 : 0, c);
    } else if (ta) {
      if (add) {
        CommonOps_DDRM.multAddTransA(a, b, c);
      } else {
        CommonOps_DDRM.multTransA(a, b, c);
      }
    } else if (tb) {
      if (add) {
        CommonOps_DDRM.multAddTransB(a, b, c);
      } else {
        CommonOps_DDRM.multTransB(a, b, c);
      }
    } else if (add) {
      CommonOps_DDRM.multAdd(a, b, c);
    } else {
      CommonOps_DDRM.mult(a, b, c);
    }
  }

  private static boolean blas(int m, int n, int k) {
    Backend b = backend;
    return b == Backend.BLAS
        || b == Backend.AUTO && (long) m * n * k >= CUTOVER && Blas.failure() == null;
  }

  /** c = op(a)·op(b) + beta·c, shapes checked as EJML checks them. */
  private static void gemm(boolean ta, boolean tb, DMatrixRMaj a, DMatrixRMaj b, double beta,
      DMatrixRMaj c) {
    int m = ta ? a.numCols : a.numRows;
    int k = ta ? a.numRows : a.numCols;
    int n = tb ? b.numRows : b.numCols;
    int kb = tb ? b.numCols : b.numRows;
    checkArgument(k == kb, "gemm: inner dimensions %s and %s differ", k, kb);
    if (beta == 0) {
      c.reshape(m, n);
    } else {
      checkArgument(c.numRows == m && c.numCols == n,
          "gemm: the %s×%s accumulator does not match the %s×%s product", c.numRows, c.numCols,
          m, n);
    }
    Blas.gemm(ta, tb, m, n, k, a.data, b.data, beta, c.data);
  }
}
