package dev.autodiff.core.kernels;

import java.util.Objects;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * Every matrix product, in one place, with transposes as flags rather than copies.
 *
 * <p>Products of m·n·k ≥ {@value #CUTOVER} run on OpenBLAS (natives bundled in the
 * {@code org.bytedeco:openblas} jar, one thread unless {@code -Dautodiff.blas.threads=N}); smaller
 * ones on EJML, whose loops beat the native call there. From m·n·k = 8192 on, OpenBLAS works on
 * the Java arrays themselves through netlib's JNI binding ({@link #pinnedArrays}); below that, and
 * wherever the binding does not load, on native copies. Both agree to rounding
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
    Objects.requireNonNull(b, "backend");
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

  /**
   * True when products from m·n·k = {@value Blas#PIN_FROM} on hand OpenBLAS the Java arrays
   * themselves (netlib's JNI binding); false when every product's operands are copied to native
   * memory, or OpenBLAS did not load.
   */
  public static boolean pinnedArrays() {
    return Blas.pinnedArrays();
  }

  /** c = a·b. c Modified (shaped a.rows × b.cols); a, b Not modified. */
  public static void mult(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
    product(false, false, a, b, 0, null, c);
  }

  /** c = a·bᵀ. c Modified; a, b Not modified. */
  public static void multTransB(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
    product(false, true, a, b, 0, null, c);
  }

  /** c = aᵀ·b. c Modified; a, b Not modified. */
  public static void multTransA(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
    product(true, false, a, b, 0, null, c);
  }

  /**
   * c = op(a)·op(b) + β·c0 on the backend the size calls for, BLAS's own form: c0 is c for an
   * accumulation, another matrix of c's shape to add a scaled term in, null when β = 0. c Modified;
   * a, b, c0 (unless it is c) Not modified.
   */
  public static void product(boolean ta, boolean tb, DMatrixRMaj a, DMatrixRMaj b, double beta,
      DMatrixRMaj c0, DMatrixRMaj c) {
    int m = ta ? a.numCols : a.numRows;
    int n = tb ? b.numRows : b.numCols;
    int k = ta ? a.numRows : a.numCols;
    if (beta != 0) {
      if (c0.numRows != m || c0.numCols != n || c.numRows != m || c.numCols != n) {
        throw new IllegalArgumentException(String.format(
            "gemm: the %s×%s accumulator does not match the %s×%s product",
            c0.numRows, c0.numCols, m, n));
      }
    }
    if (blas(m, n, k)) {
      int kb = tb ? b.numCols : b.numRows;
      if (k != kb) {
        throw new IllegalArgumentException(String.format(
            "gemm: inner dimensions %s and %s differ", k, kb));
      }
      if (beta == 0) {
        c.reshape(m, n);
      }
      Blas.gemm(ta, tb, m, n, k, a.data, b.data, beta, beta != 0 ? c0.data : null, c.data);
      return;
    }
    if (beta == 0) {
      ejml(ta, tb, false, a, b, c);
      return;
    }
    if (c0 != c || beta != 1) {
      CommonOps_DDRM.scale(beta, c0, c);
    }
    ejml(ta, tb, true, a, b, c);
  }

  private static void ejml(boolean ta, boolean tb, boolean add, DMatrixRMaj a, DMatrixRMaj b,
      DMatrixRMaj c) {
    if (ta) {
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
}
