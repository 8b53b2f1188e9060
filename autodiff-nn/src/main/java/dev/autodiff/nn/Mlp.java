package dev.autodiff.nn;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import dev.autodiff.core.Node;
import dev.autodiff.core.Tape;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.ejml.data.DMatrixRMaj;

/**
 * A multilayer perceptron on row batches: Z₁ = X W₁ᵀ ⊕ b₁, A₁ = g₁(Z₁), …, Z_L = A_{L−1} W_Lᵀ ⊕ b_L,
 * output g_L(Z_L).
 *
 * <pre>{@code
 * Mlp model = Mlp.builder(784).hidden(256, Activation.RELU).output(10).seed(42).build();
 * }</pre>
 */
public final class Mlp {
  private final Architecture architecture;
  private final ImmutableList<Linear> layers;

  Mlp(Architecture architecture, List<Linear> layers) {
    checkArgument(architecture.layers().size() == layers.size(), "%s layers for %s",
        layers.size(), architecture);
    this.architecture = architecture;
    this.layers = ImmutableList.copyOf(layers);
  }

  public static Builder builder(int inputs) {
    return new Builder(inputs);
  }

  /** The last layer's pre-activation Z_L (the logits): what a loss "with logits" reads. */
  public Node logits(Node X, Function<Parameter, Node> bind) {
    checkArgument(X.cols() == architecture.inputs(),
        "the model takes %s inputs per row, got %s (%s×%s)", architecture.inputs(), X.name(),
        X.rows(), X.cols());
    Node a = X;
    for (int l = 0; l < layers.size(); l++) {
      Node z = layers.get(l).forward(a, bind).named("Z" + (l + 1));
      a = l + 1 < layers.size() ? activation(l).apply(z).named("A" + (l + 1)) : z;
    }
    return a;
  }

  /** The output g_L(Z_L). */
  public Node forward(Node X, Function<Parameter, Node> bind) {
    return activation(layers.size() - 1).apply(logits(X, bind));
  }

  /** The output for a batch X (N×inputs), on a tape of its own. X Not modified. */
  public DMatrixRMaj predict(DMatrixRMaj X) {
    try (Tape tape = new Tape()) {
      return forward(tape.constant("X", X), Bindings.constants(tape)).value().copy();
    }
  }

  /**
   * The index of the largest logit in each row: the predicted class. X Not modified.
   *
   * @throws IllegalArgumentException for a row of X holding a NaN or ±∞, or whose logits are not
   *     all numbers, naming the row: a class for it would count garbage as a prediction
   */
  public int[] classify(DMatrixRMaj X) {
    Trainer.requireFinite("X", X, "no class can be predicted for that row");
    try (Tape tape = new Tape()) {
      DMatrixRMaj z = logits(tape.constant("X", X), Bindings.constants(tape)).value();
      int[] c = new int[z.numRows];
      for (int i = 0; i < z.numRows; i++) {
        for (int j = 0; j < z.numCols; j++) {
          if (Double.isNaN(z.get(i, j))) {
            throw new IllegalArgumentException("classify: the logits of row " + i + " hold a NaN"
                + " (the parameters may have diverged)");
          }
        }
        for (int j = 1; j < z.numCols; j++) {
          if (z.get(i, j) > z.get(i, c[i])) {
            c[i] = j;
          }
        }
      }
      return c;
    }
  }

  private Activation activation(int l) {
    return architecture.layers().get(l).activation();
  }

  public Architecture architecture() {
    return architecture;
  }

  public List<Linear> layers() {
    return layers;
  }

  /** W₁, b₁, W₂, b₂, … */
  public List<Parameter> parameters() {
    List<Parameter> p = new ArrayList<>();
    layers.forEach(layer -> p.addAll(layer.parameters()));
    return p;
  }

  /** W₁, W₂, …: the matrices in s = λ/2 Σ‖W‖²_F. */
  public List<Parameter> weights() {
    return layers.stream().map(Linear::W).toList();
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
      checkArgument(inputs > 0, "inputs must be > 0, got %s", inputs);
      this.inputs = inputs;
    }

    /** A hidden layer of the given width and activation. */
    public Builder hidden(int width, Activation g) {
      checkArgument(!hasOutput, "hidden layers come before the output layer");
      layers.add(new Architecture.Layer(width, checkNotNull(g, "activation")));
      return this;
    }

    /** The output layer with identity activation: its values are the logits. */
    public Builder output(int width) {
      return output(width, Activation.IDENTITY);
    }

    /** The output layer, e.g. {@code output(1, SIGMOID)} or {@code output(10, SOFTMAX)}. */
    public Builder output(int width, Activation g) {
      checkArgument(!hasOutput, "the output layer is already set");
      layers.add(new Architecture.Layer(width, checkNotNull(g, "activation")));
      hasOutput = true;
      return this;
    }

    /** The seed of the initialisation: same seed, same parameters, bit for bit. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Mlp build() {
      checkArgument(hasOutput, "call output(width) before build()");
      Architecture a = new Architecture(inputs, layers);
      Random random = new Random(seed);
      List<Linear> linear = new ArrayList<>();
      int in = inputs;
      for (int l = 0; l < layers.size(); l++) {
        Architecture.Layer spec = layers.get(l);
        linear.add(Linear.initialised(String.valueOf(l + 1), in, spec.width(), spec.activation(),
            random));
        in = spec.width();
      }
      return new Mlp(a, linear);
    }
  }
}
