package dev.autodiff.core.kernels;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * OpenBLAS's dgemm, loaded on first use from the {@code org.bytedeco:openblas} jar.
 *
 * <p>It is called through netlib's JNI binding ({@code dev.ludovic.netlib:blas}), which hands
 * OpenBLAS the Java arrays themselves (JNI critical regions: the collector waits for the call)
 * rather than copies. Where that binding does not load, operands are copied into native buffers
 * kept per thread; the copies cost 10–20 % of a product's time at n = 256–1024.
 */
final class Blas {
  /** netlib's system property naming the BLAS library its JNI binding opens. */
  static final String NETLIB_PATH = "dev.ludovic.netlib.blas.nativeLibPath";

  /**
   * From this m·n·k on, products run on the pinned arrays. Below it the copies are cheaper than
   * the binding's fixed cost (measured: 8×8×8 0.56 µs pinned, 0.36 copied; even at about 20³;
   * 32³ 3.2 µs against 3.6).
   */
  static final long PIN_FROM = 8192;

  private static final Throwable FAILURE = load();
  /** dgemm on pinned Java arrays, or null: copies then. */
  private static final BLAS PINNED = FAILURE == null ? netlib() : null;
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

  /**
   * netlib's binding on the OpenBLAS just loaded, or null. A user who pointed netlib at another
   * library (its {@code nativeLib} or {@code nativeLibPath} property) keeps it for their own calls,
   * and the engine copies instead.
   */
  private static BLAS netlib() {
    String ours = Loader.getLoadedLibraries().get("openblas_nolapack@.0");
    if (ours == null || System.getProperty("dev.ludovic.netlib.blas.nativeLib") != null) {
      return null;
    }
    if (!ours.equals(System.getProperty(NETLIB_PATH, ours))) {
      return null;
    }
    System.setProperty(NETLIB_PATH, ours);
    // netlib also tries its pure-Java path, which needs jdk.incubator.vector, and warns on stderr
    // when it is missing: unused here, so quiet while it loads
    Logger log = Logger.getLogger("dev.ludovic.netlib.blas.InstanceBuilder");
    Level level = log.getLevel();
    log.setLevel(Level.OFF);
    try {
      return NativeBLAS.getInstance();
    } catch (Throwable t) { // no JNI binding for this platform, or a temp folder it cannot run from
      return null;
    } finally {
      log.setLevel(level);
    }
  }

  /** True when products run on the Java arrays, without copies. */
  static boolean pinnedArrays() {
    return PINNED != null;
  }

  /** E.g. "OpenBLAS 0.3.30": the version of the natives bundled. */
  static String version() {
    return openblas_nolapack.OPENBLAS_VERSION.trim();
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
    if (PINNED != null && (long) m * n * k >= PIN_FROM) {
      pinned(ta, tb, m, n, k, a, b, beta, c0, c);
    } else {
      copied(ta, tb, m, n, k, a, b, beta, c0, c);
    }
  }

  /** {@link #gemm} on the Java arrays themselves. */
  static void pinned(boolean ta, boolean tb, int m, int n, int k, double[] a, double[] b,
      double beta, double[] c0, double[] c) {
    if (PINNED == null) {
      require();
      throw new IllegalStateException("netlib's JNI binding did not load");
    }
    if (beta != 0 && c0 != c) {
      System.arraycopy(c0, 0, c, 0, m * n);
    }
    // Fortran's dgemm is column-major, where the row-major c = op(a)·op(b) reads as
    // cᵀ = op(b)ᵀ·op(a)ᵀ: the same arrays, operands swapped
    PINNED.dgemm(tb ? "T" : "N", ta ? "T" : "N", n, m, k, 1.0, b, Math.max(1, tb ? k : n), a,
        Math.max(1, ta ? m : k), beta, c, Math.max(1, n));
  }

  /** {@link #gemm} through native copies of the operands: small products, or no netlib. */
  static void copied(boolean ta, boolean tb, int m, int n, int k, double[] a, double[] b,
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
        m, n, k, 1.0, pa, Math.max(1, ta ? m : k), pb, Math.max(1, tb ? k : n), beta, pc,
        Math.max(1, n));
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
