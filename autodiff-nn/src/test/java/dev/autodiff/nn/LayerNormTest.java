package dev.autodiff.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

class LayerNormTest {

  @Test
  void eachRowIsNormalisedByItsOwnMeanAndBiasedVarianceThenScaledAndShifted() {
    LayerNorm norm = new LayerNorm(4);
    norm.gamma().value().setTo(new DMatrixRMaj(1, 4, true, 1, 2, 0.5, -1));
    norm.beta().value().setTo(new DMatrixRMaj(1, 4, true, 0, 0.1, -0.2, 0.3));
    DMatrixRMaj X = new DMatrixRMaj(new double[][] {{1, 2, 3, 4}, {-1, 0, 5, 2}});
    // row 0: μ = 2.5, σ² = (2.25 + 0.25 + 0.25 + 2.25)/4 = 1.25
    // row 1: μ = 1.5, σ² = (6.25 + 2.25 + 12.25 + 0.25)/4 = 5.25
    double s0 = Math.sqrt(1.25 + 1e-5);
    double s1 = Math.sqrt(5.25 + 1e-5);
    double[] expected = {
        -1.5 / s0, 2 * -0.5 / s0 + 0.1, 0.5 * 0.5 / s0 - 0.2, -1 * 1.5 / s0 + 0.3,
        -2.5 / s1, 2 * -1.5 / s1 + 0.1, 0.5 * 3.5 / s1 - 0.2, -1 * 0.5 / s1 + 0.3};
    assertArrayEquals(expected, norm.predict(X).data, 1e-15);
  }

  @Test
  void atInitialisationEachRowHasMeanZeroAndVarianceJustBelowOne() {
    DMatrixRMaj X = Matrices.uniform(new Random(2), 5, 7, -3, 3);
    DMatrixRMaj Y = new LayerNorm(7).predict(X);
    for (int i = 0; i < 5; i++) {
      DMatrixRMaj row = CommonOps_DDRM.extractRow(Y, i, null);
      double v = MlpTest.variance(row);
      assertEquals(0, CommonOps_DDRM.elementSum(row) / 7, 1e-15);
      // σ²/(σ² + ε) of the row's own σ²
      double sigma2 = MlpTest.variance(CommonOps_DDRM.extractRow(X, i, null));
      assertEquals(sigma2 / (sigma2 + 1e-5), v, 1e-14);
    }
  }

  @Test
  void gradientsOfGammaBetaAndTheInputPassTheChecker() {
    double worst = LayerCheck.overShapes(new int[][] {{1, 1}, {1, 4}, {3, 1}, {3, 5}, {4, 2}},
        LayerNorm::new);
    System.out.printf("LayerNorm: worst relative gradient error %.2e%n", worst);
  }

  @Test
  void aWrongWidthIsRefusedNamingTheLayerAndTheShape() {
    assertEquals("LayerNorm(4): X is 2×3, but this layer takes 4 columns",
        assertThrows(IllegalArgumentException.class,
            () -> new LayerNorm(4).predict(new DMatrixRMaj(2, 3))).getMessage());
    assertEquals("a layer norm needs width > 0, got 0",
        assertThrows(IllegalArgumentException.class, () -> new LayerNorm(0)).getMessage());
  }

  @Test
  void gammaAndBetaAreBiasesOutsideThePenalty() {
    LayerNorm norm = new LayerNorm(3);
    assertEquals(Parameter.Kind.BIAS, norm.namedParameters().get("gamma").kind());
    assertEquals(Parameter.Kind.BIAS, norm.namedParameters().get("beta").kind());
    assertArrayEquals(new double[] {1, 1, 1}, norm.gamma().value().data, 0);
    assertArrayEquals(new double[] {0, 0, 0}, norm.beta().value().data, 0);
  }
}
