package dev.autodiff.benchmarks;

import dev.autodiff.core.ops.Gemm;
import org.bytedeco.openblas.global.openblas;
import org.bytedeco.openblas.global.openblas_full;
import org.ejml.data.DMatrixRMaj;

/** The OpenBLAS library that the BLAS step (and, once routed, the engine's products) run on. */
public final class Blas {
  private Blas() {}

  /**
   * Sets OpenBLAS's thread count. It is global to the library, so it applies to every caller in the
   * process, the engine included.
   */
  public static void threads(int n) {
    // the engine may load OpenBLAS on its first large product and set the thread count then: have
    // that happen first, so that the count set here is the one that stays
    DMatrixRMaj m = new DMatrixRMaj(64, 64);
    Gemm.mult(m, m, new DMatrixRMaj(64, 64));
    openblas.blas_set_num_threads(n);
  }

  /** Throws unless OpenBLAS runs on n threads: a benchmark must not report a setting it lost. */
  public static void requireThreads(int n) {
    if (threads() != n) {
      throw new IllegalStateException("OpenBLAS runs on " + threads() + " threads, expected " + n);
    }
  }

  public static int threads() {
    return openblas.blas_get_num_threads();
  }

  /** The build, e.g. "OpenBLAS 0.3.30 DYNAMIC_ARCH NO_AFFINITY …". */
  public static String config() {
    // only the _full binding maps openblas_get_config and openblas_get_corename; it loads the same
    // libopenblas as the others
    return openblas_full.openblas_get_config().getString().trim();
  }

  /** The kernel chosen for this CPU at load time, e.g. "SkylakeX". */
  public static String corename() {
    return openblas_full.openblas_get_corename().getString().trim();
  }
}
