package dev.autodiff.examples;

import dev.autodiff.core.Node;
import dev.autodiff.core.Tape;
import dev.autodiff.nn.Activation;
import dev.autodiff.nn.History;
import dev.autodiff.nn.Linear;
import dev.autodiff.nn.Losses;
import dev.autodiff.nn.Mlp;
import dev.autodiff.nn.Objective;
import dev.autodiff.nn.Optimizer;
import dev.autodiff.nn.Trainer;
import java.io.PrintStream;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;

/**
 * Seed 003's logistic regression: the demo's z = X Wᵀ ⊕ b and a = σ(z), then a logistic regression
 * trained by full-batch gradient descent until seed 003's convergence criteria hold.
 */
final class Logistic {
  static final DMatrixRMaj X = new DMatrixRMaj(new double[][] {
      {-8, 1, -3, 5, 2}, {-2, 2, -1, 5, 2}, {7, 1, 9, -5, -2}});
  static final DMatrixRMaj W = new DMatrixRMaj(1, 5, true, 0.7576, 0.2793, 0.4031, 0.7347, 0.0293);
  static final DMatrixRMaj B = new DMatrixRMaj(1, 1, true, 0.7999);

  private Logistic() {}

  static void run(PrintStream out) {
    out.println("Seed 003's demo: z = X Wᵀ ⊕ b, a = σ(z), with W and b as printed (4 decimals)");
    Tape tape = new Tape();
    Node z = Linear.apply(tape.constant("X", X), tape.constant("W", W), tape.constant("b", B))
        .named("z");
    Node a = z.sigmoid().named("a");
    out.println("  " + Format.assign("z", z.value()));
    out.println("  " + Format.assign("a", a.value()));
    out.println("  the demo prints z = [-2.4591; 3.1721; 6.2782], a = [0.0788; 0.9598; 0.9981]:"
        + " the last digits differ because W, b were rounded to 4 decimals");
    out.println();
    train(out);
  }

  /** Two seeded Gaussian clouds in the plane, labels 0 and 1. */
  static DMatrixRMaj[] data(int n, long seed) {
    Random r = new Random(seed);
    DMatrixRMaj x = new DMatrixRMaj(n, 2);
    DMatrixRMaj y = new DMatrixRMaj(n, 1);
    for (int i = 0; i < n; i++) {
      int label = i % 2;
      double cx = label == 1 ? 1.5 : -1;
      double cy = label == 1 ? 1 : -0.5;
      x.set(i, 0, cx + r.nextGaussian());
      x.set(i, 1, cy + r.nextGaussian());
      y.set(i, 0, label);
    }
    return new DMatrixRMaj[] {x, y};
  }

  static void train(PrintStream out) {
    DMatrixRMaj[] d = data(200, 3);
    Mlp model = Mlp.builder(2).output(1, Activation.SIGMOID).seed(1).build();
    double eps1 = 1e-7;
    double eps2 = 1e-3;
    out.printf("Logistic regression ŷ = σ(X Wᵀ ⊕ b) on %d seeded points, binary cross-entropy, "
        + "λ = 0.01, gradient descent with α = 0.5 on the full batch;%nstop when |J_{k+1} − J_k|"
        + " < %.0e or ‖∇J‖ < %.0e (at most 2000 steps)%n", d[0].numRows, eps1, eps2);
    History h = Trainer.builder(new Objective(Losses.BINARY_CROSS_ENTROPY_WITH_LOGITS, 0.01),
            Optimizer.sgd(0.5)).batchSize(d[0].numRows).maxEpochs(2000).tolerance(eps1, eps2)
        .build().fit(model, d[0], d[1]);
    out.println("  step          J       ‖∇J‖");
    for (History.Epoch e : h.epochs()) {
      if (e.epoch() <= 5 || e.epoch() % 20 == 0 || e == h.last()) {
        out.printf("  %4d  %9.6f  %9.2e%n", e.epoch(), e.J(), e.gradientNorm());
      }
    }
    out.printf("stopped after %d steps: %s%n", h.epochs().size(), h.stop());
    out.println("  " + Format.assign("W", model.layers().get(0).W().value()));
    out.println("  " + Format.assign("b", model.layers().get(0).b().value()));
    DMatrixRMaj p = model.predict(d[0]);
    int hits = 0;
    for (int i = 0; i < p.numRows; i++) {
      hits += (p.get(i, 0) > 0.5) == (d[1].get(i, 0) == 1) ? 1 : 0;
    }
    out.printf("training accuracy: %d of %d%n", hits, p.numRows);
  }
}
