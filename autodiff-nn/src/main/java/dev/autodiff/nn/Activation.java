package dev.autodiff.nn;

import dev.autodiff.core.Node;

/**
 * A layer's nonlinearity g, applied elementwise (softmax: per row), and the initialisation that
 * keeps its layer's activations at a steady scale: He for relu, Xavier/Glorot otherwise.
 */
public enum Activation {
  IDENTITY {
    @Override
    public Node apply(Node z) {
      return z;
    }
  },
  /** max(0, z); the derivative at exactly 0 is taken as 0 (the core's choice). */
  RELU {
    @Override
    public Node apply(Node z) {
      return z.relu();
    }
  },
  SIGMOID {
    @Override
    public Node apply(Node z) {
      return z.sigmoid();
    }
  },
  TANH {
    @Override
    public Node apply(Node z) {
      return z.tanh();
    }
  },
  /** Row-wise softmax: for an output layer (class probabilities). */
  SOFTMAX {
    @Override
    public Node apply(Node z) {
      return z.softmax();
    }
  };

  /** a = g(z). */
  public abstract Node apply(Node z);
}
