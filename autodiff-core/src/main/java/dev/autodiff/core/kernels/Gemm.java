package dev.autodiff.core.kernels;

import java.util.Locale;
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
 * wherever the binding does not load, on native copies. Both agree to rounding (1e-12 relative).
 *
 * <p>{@code -Dautodiff.gemm=auto|ejml|blas} picks the {@link Mode}, read at the first product;
 * {@link #use} changes it at run time. Where the natives cannot load (another platform, or
 * natives left out), {@code auto} stays on EJML and {@code blas} fails, saying why. {@link
 * #backend} says which library runs the products and why; the first product that decides it
 * logs that once, at INFO ({@code System.Logger} {@code dev.autodiff.core.kernels.Gemm}).
 */
public final class Gemm {
  /** Where products may run. */
  public enum Mode {
    /** OpenBLAS for products of m·n·k ≥ {@value Gemm#CUTOVER} when it loads, else EJML. */
    AUTO,
    /** EJML only. */
    EJML,
    /** OpenBLAS for every product. */
    BLAS
  }

  /**
   * The library that runs the products, and why.
   *
   * @param name e.g. "OpenBLAS 0.3.30 via JavaCPP" or "EJML (pure Java)"
   * @param pureJava true when no native code runs a product
   * @param why the mode and where it was set, and what follows from it: the sizes that go to
   *     OpenBLAS, or why OpenBLAS did not load
   */
  public record Backend(String name, boolean pureJava, String why) {
    @Override
    public String toString() {
      return name + ": " + why;
    }
  }

  /** Below this m·n·k EJML is faster than the native call (measured: 4×4×4 74 ns vs 150 ns). */
  public static final long CUTOVER = 512;

  /** The system property that picks the mode. */
  public static final String PROPERTY = "autodiff.gemm";

  private static final String EJML = "EJML (pure Java)";

  /** The mode and where it was set: null until first read, and while the property is bad. */
  private static volatile Choice choice;
  private static volatile boolean reported;

  private record Choice(Mode mode, String source) {}

  private Gemm() {}

  /**
   * The mode, read from {@code -Dautodiff.gemm} (auto by default) unless {@link #use} set one.
   *
   * @throws IllegalArgumentException for another value than auto, ejml or blas, every time
   * @throws IllegalStateException for blas when OpenBLAS cannot be loaded, saying why, every time
   */
  public static Mode mode() {
    return choice().mode;
  }

  private static Choice choice() {
    Choice c = choice;
    if (c != null) {
      return c;
    }
    String p = System.getProperty(PROPERTY);
    String value = p == null ? "auto" : p.trim();
    Mode m;
    try {
      m = Mode.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "-D" + PROPERTY + "=" + p + ": expected auto, ejml or blas");
    }
    if (m == Mode.BLAS) {
      Blas.require();
    }
    choice = c = new Choice(m, "-D" + PROPERTY + "=" + value + (p == null ? " (the default)" : ""));
    return c;
  }

  /**
   * Switches the mode for every thread; returns the previous one.
   *
   * @throws IllegalStateException for {@code BLAS} when OpenBLAS cannot be loaded, saying why
   * @throws IllegalArgumentException when {@code -Dautodiff.gemm} had a bad value
   */
  public static Mode use(Mode m) {
    Objects.requireNonNull(m, "mode");
    if (m == Mode.BLAS) {
      Blas.require();
    }
    Mode old = mode();
    choice = new Choice(m, "Gemm.use(" + m + ")");
    return old;
  }

  /**
   * The library that runs the products and why, e.g. {@code OpenBLAS 0.3.30 via JavaCPP:
   * -Dautodiff.gemm=auto (the default): products of m·n·k ≥ 512, …}. Loads OpenBLAS unless the
   * mode is ejml.
   *
   * @throws IllegalArgumentException as {@link #mode} does
   */
  public static Backend backend() {
    Choice c = choice();
    if (c.mode == Mode.EJML) {
      return new Backend(EJML, true, c.source);
    }
    Throwable failure = Blas.failure();
    if (failure != null) { // auto: blas would have failed in choice()
      String why;
      if (failure instanceof NoClassDefFoundError) {
        why = "OpenBLAS's classes (org.bytedeco:openblas) are not on the class path";
      } else { // e.g. UnsatisfiedLinkError: no jniopenblas_nolapack in java.library.path: /usr/…
        String message = (failure.getClass().getSimpleName() + ": " + failure.getMessage())
            .lines().findFirst().orElse("").replaceFirst("(in java\\.library\\.path): .*", "$1");
        why = "OpenBLAS did not load (" + message + "): are its natives for this platform on the"
            + " class path?";
      }
      return new Backend(EJML, true, c.source + ", but " + why
          + " (docs/CORE.md, Products and BLAS)");
    }
    String where = Blas.pinnedArrays() ? "on the Java arrays (netlib's JNI binding)"
        : "on native copies of the operands (netlib's JNI binding did not load)";
    return new Backend(Blas.version() + " via JavaCPP", false, c.source + (c.mode == Mode.AUTO
        ? ": products of m·n·k ≥ " + CUTOVER + " " + where + ", smaller ones on EJML"
        : ": every product " + where));
  }

  /** Logs the backend once, at the first product that depends on it. */
  private static synchronized void report() {
    if (!reported) {
      Backend b = backend();
      System.getLogger(Gemm.class.getName())
          .log(System.Logger.Level.INFO, () -> "matrix products: " + b);
      reported = true;
    }
  }

  /** Forgets the mode and the report, so that the next product reads the property again. */
  static synchronized void reset() {
    choice = null;
    reported = false;
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
    Mode mode = choice().mode;
    if (mode == Mode.AUTO && (long) m * n * k < CUTOVER) {
      return false; // EJML, without loading OpenBLAS
    }
    if (!reported) {
      report();
    }
    return mode == Mode.BLAS || mode == Mode.AUTO && Blas.failure() == null;
  }
}
