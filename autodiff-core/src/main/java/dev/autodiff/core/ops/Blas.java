package dev.autodiff.core.ops;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * OpenBLAS's dgemm, loaded on first use. Operands are copied into native buffers kept per thread:
 * the copies are O(n²) against the product's O(n³), and cheaper than JNI pinning Java arrays.
 */
final class Blas {
  private static final Throwable FAILURE = load();
  private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

  private Blas() {}

  private static Throwable load() {
    try {
      Loader.load(openblas_nolapack.class);
      int threads = Integer.getInteger("autodiff.blas.threads", 1);
      org.bytedeco.openblas.presets.openblas_nolapack.blas_set_num_threads(threads);
      return null;
    } catch (Throwable t) { // UnsatisfiedLinkError, NoClassDefFoundError: another platform
      return t;
    }
  }

  /** Why OpenBLAS did not load, or null. */
  static Throwable failure() {
    return FAILURE;
  }

  static void require() {
    if (FAILURE != null) {
      throw new IllegalStateException("autodiff.gemm=blas: OpenBLAS could not be loaded ("
          + FAILURE + "); use auto or ejml", FAILURE);
    }
  }

  /** Row-major c = op(a)·op(b) + beta·c0, c and c0 m×n (c0 unread when beta is 0), k inner. */
  static void gemm(boolean ta, boolean tb, int m, int n, int k, double[] a, double[] b,
      double beta, double[] c0, double[] c) {
    require();
    Buffers buf = BUFFERS.get();
    int na = m * k;
    int nb = k * n;
    int nc = m * n;
    DoublePointer pa = buf.a(na).put(a, 0, na);
    DoublePointer pb = buf.b(nb).put(b, 0, nb);
    DoublePointer pc = buf.c(nc);
    if (beta != 0) {
      pc.put(c0, 0, nc);
    }
    openblas_nolapack.cblas_dgemm(openblas_nolapack.CblasRowMajor,
        ta ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
        tb ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
        m, n, k, 1.0, pa, ta ? m : k, pb, tb ? k : n, beta, pc, n);
    pc.get(c, 0, nc);
  }

  /** Native scratch that only grows, one set per thread. */
  private static final class Buffers {
    private DoublePointer a = new DoublePointer();
    private DoublePointer b = new DoublePointer();
    private DoublePointer c = new DoublePointer();

    DoublePointer a(long n) {
      return a = fit(a, n);
    }

    DoublePointer b(long n) {
      return b = fit(b, n);
    }

    DoublePointer c(long n) {
      return c = fit(c, n);
    }

    private static DoublePointer fit(DoublePointer p, long n) {
      if (p.capacity() >= n) {
        return p;
      }
      p.close();
      return new DoublePointer(Math.max(n, p.capacity() * 2));
    }
  }
}
