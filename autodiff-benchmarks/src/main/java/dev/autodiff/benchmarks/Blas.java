package dev.autodiff.benchmarks;

import dev.autodiff.core.kernels.Gemm;
import org.bytedeco.openblas.global.openblas;
import org.bytedeco.openblas.global.openblas_full;
import org.ejml.data.DMatrixRMaj;

/** The OpenBLAS library that the hand BLAS step and the engine's large products run on. */
public final class Blas {
  private Blas() {}

  /**
   * netlib's binding on the OpenBLAS the engine loaded: the call behind the engine's large
   * products, for the hand-written BLAS step.
   */
  static dev.ludovic.netlib.blas.BLAS netlib() {
    load();
    if (!Gemm.pinnedArrays()) {
      throw new IllegalStateException("the engine copies its operands: netlib did not load");
    }
    return dev.ludovic.netlib.blas.NativeBLAS.getInstance();
  }

  /**
   * Sets OpenBLAS's thread count. It is global to the library, so it applies to every caller in the
   * process, the engine included.
   */
  public static void threads(int n) {
    load();
    openblas.blas_set_num_threads(n);
  }

  /**
   * Has the engine load OpenBLAS, as it does on its first large product, setting the thread count
   * and netlib's library then: a count set afterwards is the one that stays.
   */
  private static void load() {
    DMatrixRMaj m = new DMatrixRMaj(64, 64);
    Gemm.mult(m, m, new DMatrixRMaj(64, 64));
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
