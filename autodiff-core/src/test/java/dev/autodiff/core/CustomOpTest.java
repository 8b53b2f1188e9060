package dev.autodiff.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autodiff.core.check.GradientCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class CustomOpTest {

  /** softplus(x) = log(1 + eˣ), written stably; its derivative is σ(x). */
  static final class Softplus implements Op {
    private final double gradientFactor;

    Softplus(double gradientFactor) {
      this.gradientFactor = gradientFactor;
    }

    @Override
    public String name() {
      return "softplus";
    }

    @Override
    public DMatrixRMaj forward(Node... x) {
      DMatrixRMaj a = x[0].value();
      DMatrixRMaj y = new DMatrixRMaj(a.numRows, a.numCols);
      for (int k = 0; k < a.getNumElements(); k++) {
        double v = a.data[k];
        y.data[k] = Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
      }
      return y;
    }

    @Override
    public void backward(DMatrixRMaj g, DMatrixRMaj y, Node[] x, DMatrixRMaj[] gx) {
      if (gx[0] == null) {
        return;
      }
      DMatrixRMaj a = x[0].value();
      for (int k = 0; k < a.getNumElements(); k++) {
        gx[0].data[k] += gradientFactor * g.data[k] / (1 + Math.exp(-a.data[k]));
      }
    }

    @Override
    public String gradientFormula(int i) {
      return "{g} ⊙ σ({0})";
    }
  }

  @Test
  void theDocsCustomOpIsTwiceDifferentiableAndShownVerbatim() throws Exception {
    Op logCosh = new LogCosh();
    GradientCheck.defaults().check(v -> v.get(0).matmul(v.get(1)).apply(logCosh).sum(), W, x)
        .assertPassed();
    GradientCheck.defaults().checkSecondOrder(v -> v.get(0).matmul(v.get(1)).apply(logCosh)
        .square().sum(), W, x).assertPassed();
    // and its value is log cosh, finite far out: log cosh 1000 = 1000 − log 2
    Tape tape = new Tape();
    Node z = tape.constant(new DMatrixRMaj(1, 3, true, 0.5, -1000, 1000)).apply(logCosh);
    assertEquals(Math.log(Math.cosh(0.5)), z.value().get(0, 0), 1e-15);
    assertEquals(1000 - Math.log(2), z.value().get(0, 1), 1e-12);
    assertEquals(1000 - Math.log(2), z.value().get(0, 2), 1e-12);
    String source = Files.readString(Path.of("src/test/java/dev/autodiff/core/LogCosh.java"));
    String block = source.substring(source.indexOf("final class LogCosh"));
    String page = Files.readString(Path.of("../docs/CORE.md"));
    assertTrue(page.contains(block), "docs/CORE.md must contain, verbatim:\n" + block);
  }

  final DMatrixRMaj W = new DMatrixRMaj(new double[][] {{0.5, -1.2, 2}, {1.5, 0.3, -0.7}});
  final DMatrixRMaj x = new DMatrixRMaj(3, 2, true, 1, -2, 0.5, 3, -1, 0.25);

  @Test
  void softplusAsACustomOpPassesTheGradientCheck() {
    Op softplus = new Softplus(1);
    GradientCheck.Report r = GradientCheck.defaults()
        .check(v -> v.get(0).matmul(v.get(1)).apply(softplus).sum(), W, x)
        .assertPassed();
    assertTrue(r.maxRelError() < 1e-7, r::toString);
  }

  @Test
  void theCheckerCatchesAGradientOffByTwoTenthsOfAPercent() {
    // HIPS autograd's test: a gradient ×1.002 must fail
    GradientCheck.Report r = GradientCheck.defaults()
        .check(v -> v.get(0).matmul(v.get(1)).apply(new Softplus(1.002)).sum(), W, x);
    assertFalse(r.passed());
    AssertionError e = assertThrows(AssertionError.class, r::assertPassed);
    assertTrue(e.getMessage().contains("FAILED"), e.getMessage());
    assertTrue(e.getMessage().contains("x0 "), e.getMessage());
  }

  @Test
  void aCustomOpIsRecordedLikeABuiltIn() {
    Tape tape = new Tape();
    Node z = tape.variable("z", new DMatrixRMaj(1, 2, true, 0, 1000));
    Node y = tape.apply(new Softplus(1), z).named("y");
    assertEquals(Math.log(2), y.value().get(0, 0), 1e-15);
    assertEquals(1000, y.value().get(0, 1), 1e-12);
    assertEquals("softplus", tape.nodes().get(y.index()).op().name());
    assertEquals(0.5, tape.backward(y.sum()).get(z).get(0, 0), 1e-15);
  }

  @Test
  void aCustomOpThatReshapesItsGradientIsNamed() {
    Op bad = new Op() {
      @Override
      public String name() {
        return "bad";
      }

      @Override
      public DMatrixRMaj forward(Node... x) {
        return x[0].value().copy();
      }

      @Override
      public void backward(DMatrixRMaj g, DMatrixRMaj y, Node[] x, DMatrixRMaj[] gx) {
        gx[0].reshape(1, 1);
      }
    };
    Tape tape = new Tape();
    Node z = tape.variable("z", new DMatrixRMaj(2, 2));
    Node y = z.apply(bad).sum();
    assertEquals("bad: backward reshaped the gradient of z (2×2) to 1×1",
        assertThrows(IllegalStateException.class, () -> tape.backward(y)).getMessage());
  }
}
