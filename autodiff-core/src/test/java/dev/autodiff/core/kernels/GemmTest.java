package dev.autodiff.core.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autodiff.core.Matrices;
import java.util.Random;
import java.util.stream.Stream;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The OpenBLAS path against EJML's, for each of the six products, from 1×1 to past the cut-over. */
class GemmTest {
  private final Gemm.Mode initial = Gemm.mode();

  @AfterEach
  void restore() {
    Gemm.use(initial);
  }

  /** m, n, k of the product c (m×n) with inner dimension k. */
  static Stream<Arguments> shapes() {
    return Stream.of(Arguments.of(1, 1, 1), Arguments.of(1, 7, 5), Arguments.of(6, 1, 4),
        Arguments.of(3, 5, 2), Arguments.of(8, 8, 8), Arguments.of(37, 19, 53),
        Arguments.of(64, 10, 784), Arguments.of(130, 129, 131));
  }

  interface Product {
    void apply(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c);
  }

  @ParameterizedTest(name = "{0}×{1} by inner {2}")
  @MethodSource("shapes")
  void blasAgreesWithEjmlToRounding(int m, int n, int k) {
    Random rng = new Random(31L * m + 7L * n + k);
    // operand shapes per product: a·b, a·bᵀ, aᵀ·b, c + a·b, c + aᵀ·b, c + a·bᵀ
    check("mult", Gemm::mult, Matrices.uniform(rng, m, k, -1, 1),
        Matrices.uniform(rng, k, n, -1, 1), null);
    check("multTransB", Gemm::multTransB, Matrices.uniform(rng, m, k, -1, 1),
        Matrices.uniform(rng, n, k, -1, 1), null);
    check("multTransA", Gemm::multTransA, Matrices.uniform(rng, k, m, -1, 1),
        Matrices.uniform(rng, k, n, -1, 1), null);
    check("multAdd", (a, b, c) -> Gemm.product(false, false, a, b, 1, c, c), Matrices.uniform(rng, m, k, -1, 1),
        Matrices.uniform(rng, k, n, -1, 1), Matrices.uniform(rng, m, n, -1, 1));
    check("multAddTransA", (a, b, c) -> Gemm.product(true, false, a, b, 1, c, c), Matrices.uniform(rng, k, m, -1, 1),
        Matrices.uniform(rng, k, n, -1, 1), Matrices.uniform(rng, m, n, -1, 1));
    check("multAddTransB", (a, b, c) -> Gemm.product(false, true, a, b, 1, c, c), Matrices.uniform(rng, m, k, -1, 1),
        Matrices.uniform(rng, n, k, -1, 1), Matrices.uniform(rng, m, n, -1, 1));
  }

  private static void check(String what, Product p, DMatrixRMaj a, DMatrixRMaj b,
      DMatrixRMaj c0) {
    DMatrixRMaj expected = run(Gemm.Mode.EJML, p, a, b, c0);
    DMatrixRMaj actual = run(Gemm.Mode.BLAS, p, a, b, c0);
    assertEquals(expected.numRows, actual.numRows, what);
    assertEquals(expected.numCols, actual.numCols, what);
    double scale = Math.max(1, CommonOps_DDRM.elementMaxAbs(expected));
    for (int i = 0; i < expected.data.length; i++) {
      double rel = Math.abs(expected.data[i] - actual.data[i]) / scale;
      assertTrue(rel <= 1e-12, what + ": entry " + i + " differs by " + rel);
    }
  }

  private static DMatrixRMaj run(Gemm.Mode backend, Product p, DMatrixRMaj a, DMatrixRMaj b,
      DMatrixRMaj c0) {
    Gemm.use(backend);
    // a fresh accumulator holding c0 (or a product's exact shape from a wrongly shaped start)
    DMatrixRMaj c = c0 != null ? c0.copy() : new DMatrixRMaj(1, 1);
    p.apply(a, b, c);
    return c;
  }

  interface Dgemm {
    void apply(boolean ta, boolean tb, int m, int n, int k, double[] a, double[] b, double beta,
        double[] c0, double[] c);
  }

  /**
   * Both native paths, the pinned arrays and the copies, on every transpose and on β·c0 from
   * another matrix than c, against EJML's op(a)·op(b) + β·c0.
   */
  @ParameterizedTest(name = "{0}×{1} by inner {2}")
  @MethodSource("shapes")
  void pinnedAndCopiedPathsAgreeWithEjml(int m, int n, int k) {
    Random rng = new Random(17L * m + 5L * n + k);
    for (boolean ta : new boolean[] {false, true}) {
      for (boolean tb : new boolean[] {false, true}) {
        DMatrixRMaj a = ta ? Matrices.uniform(rng, k, m, -1, 1) : Matrices.uniform(rng, m, k, -1, 1);
        DMatrixRMaj b = tb ? Matrices.uniform(rng, n, k, -1, 1) : Matrices.uniform(rng, k, n, -1, 1);
        DMatrixRMaj c0 = Matrices.uniform(rng, m, n, -1, 1);
        for (double beta : new double[] {0, 0.5}) {
          DMatrixRMaj expected = new DMatrixRMaj(m, n);
          CommonOps_DDRM.mult(ta ? CommonOps_DDRM.transpose(a, null) : a,
              tb ? CommonOps_DDRM.transpose(b, null) : b, expected);
          CommonOps_DDRM.addEquals(expected, beta, c0);
          String what = (ta ? "aᵀ" : "a") + "·" + (tb ? "bᵀ" : "b") + " + " + beta + "·c0";
          same("pinned " + what, expected, product(Blas::pinned, ta, tb, m, n, k, a, b, beta, c0));
          same("copied " + what, expected, product(Blas::copied, ta, tb, m, n, k, a, b, beta, c0));
        }
      }
    }
  }

  private static DMatrixRMaj product(Dgemm d, boolean ta, boolean tb, int m, int n, int k,
      DMatrixRMaj a, DMatrixRMaj b, double beta, DMatrixRMaj c0) {
    DMatrixRMaj c = new DMatrixRMaj(m, n);
    java.util.Arrays.fill(c.data, Double.NaN); // β = 0 must not read it
    double[] before = c0.data.clone();
    d.apply(ta, tb, m, n, k, a.data, b.data, beta, beta != 0 ? c0.data : null, c.data);
    org.junit.jupiter.api.Assertions.assertArrayEquals(before, c0.data, "c0 was modified");
    return c;
  }

  private static void same(String what, DMatrixRMaj expected, DMatrixRMaj actual) {
    double scale = Math.max(1, CommonOps_DDRM.elementMaxAbs(expected));
    for (int i = 0; i < expected.getNumElements(); i++) {
      double rel = Math.abs(expected.data[i] - actual.data[i]) / scale;
      assertTrue(rel <= 1e-12, what + ": entry " + i + " differs by " + rel);
    }
  }

  @Test
  void productsRunOnTheJavaArraysWithoutCopies() {
    // netlib's binding ships for linux-x86_64 and opens the bundled OpenBLAS: falling back to the
    // copies silently would cost 10–20 % of every large product
    assertTrue(Blas.pinnedArrays(), "products fell back to copying their operands");
  }

  @Test
  void aBlasTheUserChoseForNetlibStaysTheirs() throws Exception {
    // with netlib pointed elsewhere before the engine loads, the engine leaves that setting alone
    // and copies into its own OpenBLAS, with the same results
    ChildJvm.Output out = ChildJvm.run(ChildJvm.classPath(), UserNetlib.class,
        "-Ddev.ludovic.netlib.blas.nativeLib=libblas.so.3");
    assertEquals("blas true, pinned false, nativeLib libblas.so.3, nativeLibPath null, agrees true",
        out.stdout().strip());
  }

  /** The child JVM of the test above. */
  static final class UserNetlib {
    public static void main(String[] args) {
      Random rng = new Random(5);
      DMatrixRMaj a = Matrices.uniform(rng, 64, 48, -1, 1);
      DMatrixRMaj b = Matrices.uniform(rng, 48, 32, -1, 1);
      DMatrixRMaj blas = new DMatrixRMaj(1, 1);
      Gemm.mult(a, b, blas); // 64·32·48: OpenBLAS, past the size for pinning
      DMatrixRMaj ejml = new DMatrixRMaj(64, 32);
      CommonOps_DDRM.mult(a, b, ejml);
      double max = 0;
      for (int i = 0; i < ejml.data.length; i++) {
        max = Math.max(max, Math.abs(ejml.data[i] - blas.data[i]));
      }
      System.out.println("blas " + Gemm.blasAvailable() + ", pinned " + Gemm.pinnedArrays()
          + ", nativeLib " + System.getProperty("dev.ludovic.netlib.blas.nativeLib")
          + ", nativeLibPath " + System.getProperty(Blas.NETLIB_PATH) + ", agrees "
          + (max < 1e-12));
    }
  }

  @Test
  void autoUsesBlasWhenItLoads() {
    // on linux-x86_64 the bundled natives must load: a silent EJML fallback would hide a slow path
    assertTrue(Gemm.blasAvailable(), "OpenBLAS did not load on this machine");
  }

  @Test
  void mismatchedAccumulatorIsRejected() {
    Gemm.use(Gemm.Mode.BLAS);
    DMatrixRMaj c = new DMatrixRMaj(2, 2);
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class,
        () -> Gemm.product(false, false, new DMatrixRMaj(3, 4), new DMatrixRMaj(4, 5), 1, c, c));
    assertTrue(e.getMessage().contains("2×2") && e.getMessage().contains("3×5"), e.getMessage());
  }
}
