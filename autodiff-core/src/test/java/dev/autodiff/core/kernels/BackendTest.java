package dev.autodiff.core.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autodiff.core.Matrices;
import dev.autodiff.core.Node;
import dev.autodiff.core.Tape;
import java.util.List;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which library runs the products, as the property or the class path decides, and what it says. */
class BackendTest {
  private final String property = System.getProperty(Gemm.PROPERTY);

  @AfterEach
  void restore() {
    if (property == null) {
      System.clearProperty(Gemm.PROPERTY);
    } else {
      System.setProperty(Gemm.PROPERTY, property);
    }
    Gemm.reset();
  }

  @Test
  void byDefaultLargeProductsRunOnTheBundledOpenBlas() {
    System.clearProperty(Gemm.PROPERTY);
    Gemm.reset();
    Gemm.Backend b = Gemm.backend();
    assertTrue(b.name().matches("OpenBLAS 0\\.3\\.\\d+ via JavaCPP"), b::toString);
    assertFalse(b.pureJava());
    assertEquals("-Dautodiff.gemm=auto (the default): products of m·n·k ≥ 512 on the Java arrays"
        + " (netlib's JNI binding), smaller ones on EJML", b.why());
  }

  @Test
  void thePropertyCanKeepEveryProductInJava() {
    System.setProperty(Gemm.PROPERTY, "ejml");
    Gemm.reset();
    assertEquals(new Gemm.Backend("EJML (pure Java)", true, "-Dautodiff.gemm=ejml"),
        Gemm.backend());
    assertEquals(Gemm.Mode.EJML, Gemm.mode());
    assertTrue(product(64, 48, 32), "the product differs from EJML's");
  }

  @Test
  void aBadValueSaysWhatIsWrongAtEveryProduct() {
    System.setProperty(Gemm.PROPERTY, "fast");
    Gemm.reset();
    Tape tape = new Tape();
    Node a = tape.variable("a", new DMatrixRMaj(2, 3));
    Node b = tape.variable("b", new DMatrixRMaj(3, 2));
    for (int attempt = 0; attempt < 2; attempt++) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.matmul(b));
      assertEquals("-Dautodiff.gemm=fast: expected auto, ejml or blas", e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, Gemm::backend);
    System.setProperty(Gemm.PROPERTY, "EJML ");
    assertEquals(Gemm.Mode.EJML, Gemm.mode(), "read again once the value is good");
  }

  /**
   * The natives for this platform taken off the class path (as on a platform they are not for),
   * or every org.bytedeco jar (as a user excluding {@code org.bytedeco:*} from autodiff-core).
   */
  @ParameterizedTest(name = "without {0}")
  @CsvSource(delimiter = '|', value = {
      "the natives | .*/openblas-[^/]*-linux-x86_64\\.jar | OpenBLAS did not load"
          + " (UnsatisfiedLinkError: no jniopenblas_nolapack in java.library.path): are its"
          + " natives for this platform on the class path?",
      "org.bytedeco | .*/org/bytedeco/.* | OpenBLAS's classes (org.bytedeco:openblas) are not on"
          + " the class path"})
  void withoutOpenBlasProductsStayInJavaAndTheReportSaysWhy(String what, String jars, String why)
      throws Exception {
    List<String> cp = ChildJvm.classPath().stream().filter(e -> !e.matches(jars)).toList();
    assertTrue(cp.size() < ChildJvm.classPath().size(), "no jar left out");
    ChildJvm.Output out = ChildJvm.run(cp, WithoutNatives.class);
    assertEquals("EJML (pure Java), pure Java true, agrees true", out.stdout().strip());
    assertEquals(1, out.stderr().split("matrix products: ", -1).length - 1,
        "reported once: " + out.stderr());
    assertTrue(out.stderr().contains("matrix products: EJML (pure Java): -Dautodiff.gemm=auto"
        + " (the default), but " + why + " (docs/CORE.md, Products and BLAS)"), out.stderr());
  }

  /** The child JVM of the test above. */
  static final class WithoutNatives {
    public static void main(String[] args) {
      boolean agrees = product(64, 48, 32) && product(70, 50, 30);
      Gemm.Backend b = Gemm.backend();
      System.out.println(b.name() + ", pure Java " + b.pureJava() + ", agrees " + agrees);
    }
  }

  /** Gemm's a·b against EJML's, for an m×k a and a k×n b. */
  static boolean product(int m, int k, int n) {
    Random rng = new Random(m + k + n);
    DMatrixRMaj a = Matrices.uniform(rng, m, k, -1, 1);
    DMatrixRMaj b = Matrices.uniform(rng, k, n, -1, 1);
    DMatrixRMaj c = new DMatrixRMaj(1, 1);
    Gemm.mult(a, b, c);
    DMatrixRMaj expected = new DMatrixRMaj(m, n);
    CommonOps_DDRM.mult(a, b, expected);
    return CommonOps_DDRM.elementMaxAbs(CommonOps_DDRM.subtract(c, expected, null)) < 1e-12;
  }
}
