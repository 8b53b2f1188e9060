package dev.autodiff.nn;

import dev.autodiff.core.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * A multilayer perceptron on row batches: Z₁ = X W₁ᵀ ⊕ b₁, A₁ = g₁(Z₁), …, Z_L = A_{L−1} W_Lᵀ ⊕ b_L,
 * output g_L(Z_L).
 *
 * <pre>{@code
 * Mlp model = Mlp.builder(784).hidden(256, Activation.RELU).output(10).seed(42).build();
 * }</pre>
 *
 * <p>Its parameters are named as in the notes: W1, b1, W2, b2, … Each layer's W is initialised for
 * the activation after it ({@link Linear}); the builder's seed makes it reproducible.
 */
public final class Mlp extends Module {
  private final Architecture architecture;
  private final List<Linear> layers;

  Mlp(Architecture architecture, List<Linear> layers) {
    if (architecture.layers().size() != layers.size()) {
      throw new IllegalArgumentException(layers.size() + " layers for " + architecture);
    }
    this.architecture = architecture;
    this.layers = List.copyOf(layers);
    // registered here rather than as sub-modules: the notes' names W1, b1, W2, …, not paths
    for (Linear layer : layers) {
      register(layer.W());
      register(layer.b());
    }
  }

  /** A builder for a model taking rows of the given width. */
  public static Builder builder(int inputs) {
    return new Builder(inputs);
  }

  /** The last layer's pre-activation Z_L (the logits): what a loss "with logits" reads. */
  @Override
  public Node logits(Node X, Bindings p) {
    if (X.cols() != architecture.inputs()) {
      throw new IllegalArgumentException("the model takes " + architecture.inputs()
          + " inputs per row, got " + X.name() + " (" + X.rows() + "×" + X.cols() + ")");
    }
    Node a = X;
    for (int l = 0; l < layers.size(); l++) {
      Node z = layers.get(l).forward(a, p).named("Z" + (l + 1));
      a = l + 1 < layers.size() ? activation(l).apply(z).named("A" + (l + 1)) : z;
    }
    return a;
  }

  /** The output g_L(Z_L). */
  @Override
  public Node forward(Node X, Bindings p) {
    return activation(layers.size() - 1).apply(logits(X, p));
  }

  private Activation activation(int l) {
    return architecture.layers().get(l).activation();
  }

  /** The layers in order; their parameters are this model's W1, b1, … */
  public List<Linear> layers() {
    return layers;
  }

  /** The layer sizes and activations. */
  public Architecture architecture() {
    return architecture;
  }

  /** W₁, W₂, …: the matrices in s = λ/2 Σ‖W‖²_F. */
  public List<Parameter> weights() {
    return parameters().stream().filter(Parameter::isWeight).toList();
  }

  @Override
  public String toString() {
    return "Mlp" + architecture;
  }

  /** Layer sizes and activations; parameters are initialised when {@link #build} is called. */
  public static final class Builder {
    private final int inputs;
    private final List<Architecture.Layer> layers = new ArrayList<>();
    private long seed = 0;
    private boolean hasOutput;

    private Builder(int inputs) {
      if (inputs <= 0) {
        throw new IllegalArgumentException("inputs must be > 0, got " + inputs);
      }
      this.inputs = inputs;
    }

    /** A hidden layer of the given width and activation. */
    public Builder hidden(int width, Activation g) {
      if (hasOutput) {
        throw new IllegalArgumentException("hidden layers come before the output layer");
      }
      layers.add(new Architecture.Layer(width, Objects.requireNonNull(g, "activation")));
      return this;
    }

    /** The output layer with identity activation: its values are the logits. */
    public Builder output(int width) {
      return output(width, Activation.IDENTITY);
    }

    /** The output layer, e.g. {@code output(1, SIGMOID)} or {@code output(10, SOFTMAX)}. */
    public Builder output(int width, Activation g) {
      if (hasOutput) {
        throw new IllegalArgumentException("the output layer is already set");
      }
      layers.add(new Architecture.Layer(width, Objects.requireNonNull(g, "activation")));
      hasOutput = true;
      return this;
    }

    /** The seed of the initialisation: same seed, same parameters, bit for bit. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** The model, its parameters drawn from the seed. */
    public Mlp build() {
      if (!hasOutput) {
        throw new IllegalArgumentException("call output(width) before build()");
      }
      Architecture a = new Architecture(inputs, layers);
      Random random = new Random(seed);
      List<Linear> linear = new ArrayList<>();
      int in = inputs;
      for (int l = 0; l < layers.size(); l++) {
        Architecture.Layer spec = layers.get(l);
        linear.add(new Linear("W" + (l + 1), "b" + (l + 1), in, spec.width(), spec.activation(),
            random));
        in = spec.width();
      }
      return new Mlp(a, linear);
    }
  }
}
