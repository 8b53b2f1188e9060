package dev.autodiff.nn;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import dev.autodiff.core.Node;
import java.util.function.Function;

/**
 * J = L + s with s = λ/2 Σ_l ‖W_l‖²_F over the weight matrices only (biases are not regularized, as
 * in the notes), so ∂s/∂W_l = λ W_l.
 */
public final class Objective {
  private final Loss loss;
  private final double lambda;

  public Objective(Loss loss, double lambda) {
    this.loss = checkNotNull(loss, "loss");
    checkArgument(lambda >= 0 && Double.isFinite(lambda),
        "the regularization weight λ must be finite and >= 0, got %s", lambda);
    this.lambda = lambda;
  }

  /** The three terms of one evaluation, each a 1×1 node on the batch's tape. */
  public record Terms(Node L, Node s, Node J) {}

  public Loss loss() {
    return loss;
  }

  public double lambda() {
    return lambda;
  }

  /** L(model(X), Y), s and J = L + s, with the model's parameters bound by {@code bind}. */
  public Terms evaluate(Mlp model, Node X, Node Y, Function<Parameter, Node> bind) {
    checkArgument(X.rows() == Y.rows(), "%s has %s rows but %s has %s: one target row per example",
        X.name(), X.rows(), Y.name(), Y.rows());
    Node out = loss.fromLogits() ? model.logits(X, bind) : model.forward(X, bind);
    Node L = loss.apply(out, Y).named("L");
    Node s;
    if (lambda == 0) {
      s = X.tape().scalar(0).named("s"); // nothing to differentiate: skip Σ‖W‖² over every weight
    } else {
      s = null;
      for (Parameter W : model.weights()) {
        Node half = bind.apply(W).halfSquaredNorm(); // ½‖W‖²_F, one node, no squared copy
        s = s == null ? half : s.add(half);
      }
      s = s.scale(lambda).named("s");
    }
    Node J = L.add(s).named("J");
    return new Terms(L, s, J);
  }
}
