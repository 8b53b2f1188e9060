package dev.autodiff.nn;

import dev.autodiff.core.Node;
import java.util.Objects;

/**
 * J = L + s with s = λ/2 Σ_l ‖W_l‖²_F over the trainable weight matrices only (biases are not
 * regularized, as in the notes), so ∂s/∂W_l = λ W_l.
 */
public final class Objective {
  private final Loss loss;
  private final double lambda;

  /** J = L + s with the given loss and penalty weight λ ≥ 0. */
  public Objective(Loss loss, double lambda) {
    this.loss = Objects.requireNonNull(loss, "loss");
    if (!(lambda >= 0 && Double.isFinite(lambda))) {
      throw new IllegalArgumentException(
          "the regularization weight λ must be finite and >= 0, got " + lambda);
    }
    this.lambda = lambda;
  }

  /** The three terms of one evaluation, each a 1×1 node on the batch's tape. */
  public record Terms(Node L, Node s, Node J) {}

  /** L, the data term. */
  public Loss loss() {
    return loss;
  }

  /** λ, the weight of the penalty s. */
  public double lambda() {
    return lambda;
  }

  /**
   * This objective of model compiled into plans, one per batch size; random inputs (dropout) are
   * drawn from seed and the step.
   */
  public CompiledObjective compile(Module model, long seed) {
    return new CompiledObjective(this, model, seed);
  }

  /** s = λ/2 Σ‖W‖²_F over the model's trainable weights, computed directly. Not modified. */
  public double penalty(Module model) {
    double sum = 0;
    for (Parameter W : model.trainableParameters()) {
      if (W.isWeight()) {
        for (int k = 0; k < W.value().getNumElements(); k++) {
          sum += W.value().data[k] * W.value().data[k];
        }
      }
    }
    return lambda / 2 * sum;
  }

  /** L(model(X), Y), s and J = L + s, with the model's parameters bound by {@code p}. */
  public Terms evaluate(Module model, Node X, Node Y, Bindings p) {
    if (X.rows() != Y.rows()) {
      throw new IllegalArgumentException(X.name() + " has " + X.rows() + " rows but " + Y.name()
          + " has " + Y.rows() + ": one target row per example");
    }
    Node out = loss.fromLogits() ? model.logits(X, p) : model.forward(X, p);
    Node L = loss.apply(out, Y).named("L");
    Node s = null;
    if (lambda != 0) {
      for (Parameter W : model.trainableParameters()) {
        if (W.isWeight()) {
          Node half = p.apply(W).halfSquaredNorm(); // ½‖W‖²_F, one node, no squared copy
          s = s == null ? half : s.add(half);
        }
      }
    }
    // with λ = 0 (or nothing to penalise) there is nothing to differentiate: s is the constant 0
    s = s == null ? X.tape().scalar(0).named("s") : s.scale(lambda).named("s");
    Node J = L.add(s).named("J");
    return new Terms(L, s, J);
  }
}
