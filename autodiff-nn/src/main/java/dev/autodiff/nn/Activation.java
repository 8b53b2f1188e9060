package dev.autodiff.nn;

import dev.autodiff.core.Node;
import java.util.function.UnaryOperator;

/**
 * The nonlinearities of {@link Mlp}'s builder, applied elementwise (softmax: per row). The layer
 * before one is initialised for it: He for relu, Xavier/Glorot otherwise. Any other function of
 * nodes is a layer through {@link Module#of}.
 */
public enum Activation {
  /** a = z: the logits themselves. */
  IDENTITY(z -> z),
  /** max(0, z); the derivative at exactly 0 is taken as 0 (the core's choice). */
  RELU(Node::relu),
  /** σ(z) = 1/(1 + e^(−z)). */
  SIGMOID(Node::sigmoid),
  /** tanh z. */
  TANH(Node::tanh),
  /** Row-wise softmax: for an output layer (class probabilities). */
  SOFTMAX(Node::softmax);

  private final UnaryOperator<Node> g;

  Activation(UnaryOperator<Node> g) {
    this.g = g;
  }

  /** a = g(z). */
  public Node apply(Node z) {
    return g.apply(z);
  }

  /** This activation as a module without parameters, for {@link Sequential}. */
  public Module layer() {
    return Module.of(name().toLowerCase(java.util.Locale.ROOT), g);
  }
}
