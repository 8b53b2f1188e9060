package dev.autodiff.examples;

import dev.autodiff.nn.Activation;
import dev.autodiff.nn.History;
import dev.autodiff.nn.Losses;
import dev.autodiff.nn.Mlp;
import dev.autodiff.nn.Objective;
import dev.autodiff.nn.Optimizer;
import dev.autodiff.nn.Trainer;
import java.io.PrintStream;
import org.ejml.data.DMatrixRMaj;

/** XOR: a 2-4-1 MLP (tanh, then sigmoid) fitted with binary cross-entropy and Adam. */
final class Xor {
  static final DMatrixRMaj X = new DMatrixRMaj(new double[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}});
  static final DMatrixRMaj Y = new DMatrixRMaj(4, 1, true, 0, 1, 1, 0);

  private Xor() {}

  static void run(PrintStream out) {
    Mlp model = Mlp.builder(2).hidden(4, Activation.TANH).output(1, Activation.SIGMOID).seed(1)
        .build();
    out.println("XOR with a " + model.architecture() + " MLP, binary cross-entropy from logits, "
        + "Adam α = 0.05, all 4 examples per step; stop when |J_{k+1} − J_k| < 1e-6");
    History h = Trainer.builder(new Objective(Losses.BINARY_CROSS_ENTROPY_WITH_LOGITS, 0),
            Optimizer.adam(0.05)).batchSize(4).maxEpochs(3000).tolerance(1e-6, 0).build()
        .fit(model, X, Y);
    for (History.Epoch e : h.epochs()) {
      if (e.epoch() == 1 || e.epoch() % 200 == 0 || e == h.last()) {
        out.printf("  step %4d  L = %.6f%n", e.epoch(), e.L());
      }
    }
    out.printf("stopped after %d steps: %s%n", h.epochs().size(), h.stop());
    DMatrixRMaj p = model.predict(X);
    out.println("  x₁ x₂   y   ŷ = σ(z)");
    for (int i = 0; i < 4; i++) {
      out.printf("   %.0f  %.0f   %.0f   %.4f%n", X.get(i, 0), X.get(i, 1), Y.get(i, 0),
          p.get(i, 0));
    }
  }
}
