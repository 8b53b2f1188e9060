package dev.autodiff.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.autodiff.core.check.GradientCheck;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class ActivationTest {

  /** Linear, g, Linear, g as modules over an Mlp's own parameters: its values, bit for bit. */
  @Test
  void aSequentialOfLinearAndActivationLayersIsTheMlpWithTheSameParameters() {
    DMatrixRMaj X = Matrices.random(new Random(2), 5, 3);
    for (Activation g : Activation.values()) {
      Mlp mlp = Mlp.builder(3).hidden(4, g).output(2, g).seed(1).build();
      Linear first = mlp.layers().get(0);
      Linear second = mlp.layers().get(1);
      Sequential layers = new Sequential(new Linear(first.W(), first.b()), g.layer(),
          new Linear(second.W(), second.b()), g.layer());
      assertArrayEquals(mlp.predict(X).data, layers.predict(X).data, 0, g.name());
      assertEquals(g.name().toLowerCase(java.util.Locale.ROOT), g.layer().toString());
    }
  }

  @Test
  void eachActivationLayerPassesTheGradientChecker() {
    double worst = 0;
    int[][] shapes = {{1, 1}, {3, 4}, {2, 5}};
    for (Activation g : Activation.values()) {
      for (int[] s : shapes) {
        Random r = new Random(s[0] * 10L + s[1]);
        // relu away from its kink at 0, on both sides
        DMatrixRMaj X = g == Activation.RELU ? Matrices.uniform(r, s[0], s[1], 0.1, 2)
            : Matrices.uniform(r, s[0], s[1], -2, 2);
        if (g == Activation.RELU) {
          X.data[0] = -X.data[0];
        }
        GradientCheck.Report report = LayerCheck.check(g.layer(), X, true).assertPassed();
        worst = Math.max(worst, report.maxRelError());
      }
    }
    System.out.printf("Activation layers: worst relative gradient error %.2e%n", worst);
  }
}
