package dev.autodiff.nn;

import dev.autodiff.core.check.GradientCheck;
import java.util.Random;
import java.util.function.IntFunction;
import org.ejml.data.DMatrixRMaj;

/** A layer's gradients against central differences, on its parameters and its input. */
final class LayerCheck {
  private LayerCheck() {}

  /** {@link ModuleCheck} on the layer, with its input X a variable when {@code input}. */
  static GradientCheck.Report check(Module layer, DMatrixRMaj X, boolean input) {
    ModuleCheck c = ModuleCheck.of(layer);
    return (input ? c : c.constantInput()).check(X);
  }

  /**
   * The worst relative error of {@link #check} on the layer and its input over rows×width inputs
   * from U(−2, 2), one for each shape {rows, width}, the layer made by {@code layer.apply(width)}
   * with every weight and bias then drawn from U(0.5, 1.5), none 0 or 1. Throws at a failure.
   */
  static double overShapes(int[][] shapes, IntFunction<Module> layer) {
    double worst = 0;
    for (int[] s : shapes) {
      Module m = layer.apply(s[1]);
      Random r = new Random(s[0] * 10L + s[1]);
      m.trainableParameters().forEach(p -> p.value().setTo(
          Matrices.uniform(r, p.rows(), p.cols(), 0.5, 1.5)));
      GradientCheck.Report report =
          check(m, Matrices.uniform(r, s[0], s[1], -2, 2), true).assertPassed();
      worst = Math.max(worst, report.maxRelError());
    }
    return worst;
  }
}
