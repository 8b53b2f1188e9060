package dev.autodiff.nn;

import dev.autodiff.core.Node;
import dev.autodiff.core.Tape;
import dev.autodiff.core.check.GradientCheck;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;
import org.ejml.data.DMatrixRMaj;

/** A layer's gradients against central differences, on its parameters and its input. */
final class LayerCheck {
  private LayerCheck() {}

  /**
   * Checks J = Σ R ⊙ tanh(layer(X)), R a fixed random matrix shaped like the output, in training
   * mode: every weight and bias of the layer by its name and, when {@code input} is true, X as the
   * variable "X" (otherwise a constant). Statistics are bound as constants. X Not modified.
   */
  static GradientCheck.Report check(Module layer, DMatrixRMaj X, boolean input) {
    Map<String, DMatrixRMaj> theta = new LinkedHashMap<>();
    if (input) {
      theta.put("X", X);
    }
    layer.trainableParameters().forEach(p -> theta.put(p.name(), p.value()));
    DMatrixRMaj R = readout(layer, X);
    return GradientCheck.defaults().checkNamed(v -> {
      Tape tape = v.values().iterator().next().tape();
      Node x = input ? v.get("X") : tape.constant("X", X);
      Bindings p = Bindings.using(tape, q -> v.containsKey(q.name()) ? v.get(q.name())
          : tape.constant(q.name(), q.value()));
      return layer.forward(x, p).tanh().mul(tape.constant("R", R)).sum();
    }, theta);
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

  /** A random matrix shaped like the layer's output for X in training mode. */
  private static DMatrixRMaj readout(Module layer, DMatrixRMaj X) {
    try (Tape tape = new Tape()) {
      Node y = layer.forward(tape.constant("X", X), Bindings.variables(tape));
      return Matrices.random(new Random(99), y.rows(), y.cols());
    }
  }
}
