package dev.autodiff.nn;

import dev.autodiff.core.Node;
import org.ejml.data.DMatrixRMaj;

/**
 * Layer normalisation of each example: y = γ ⊙ (x − μ)/√(σ² + ε) + β, per row.
 *
 * <p>A batch X (N×width, one example per row) maps to Y (N×width): each row is centred on its own
 * mean μ, divided by the square root of its biased variance σ² = (1/width) Σ (x − μ)² plus ε =
 * 1e-5, then scaled by γ and shifted by β (both 1×width), as PyTorch's {@code nn.LayerNorm}. The
 * same in training and in inference.
 *
 * <p>Initialisation: γ = 1, β = 0. Both are biases: trained, not in the penalty s.
 */
public final class LayerNorm extends Module {
  /** ε, added to each variance before its square root. */
  public static final double EPSILON = 1e-5;

  private final Parameter gamma;
  private final Parameter beta;

  /** Normalises rows of {@code width} entries; γ = 1, β = 0. */
  public LayerNorm(int width) {
    if (width <= 0) {
      throw new IllegalArgumentException("a layer norm needs width > 0, got " + width);
    }
    this.gamma = bias("gamma", Init.ones(width));
    this.beta = bias("beta", new DMatrixRMaj(1, width));
  }

  /** Y = γ ⊙ (X − μ)/√(σ² + ε) + β, μ and σ² of each row. */
  @Override
  public Node forward(Node X, Bindings p) {
    requireColumns(this, X, width());
    return normalise(X, X.meanRows(), X.varianceRows(), p.apply(gamma), p.apply(beta));
  }

  /**
   * γ ⊙ (X − mean)/√(variance + ε) + β on nodes, mean and variance broadcast along the rows or
   * the columns of X, γ and β rows: what layer and batch normalisation share.
   */
  static Node normalise(Node X, Node mean, Node variance, Node gamma, Node beta) {
    return X.sub(mean).mul(variance.add(EPSILON).rsqrt()).mul(gamma).add(beta);
  }

  /** Throws, naming the layer and X's shape, unless X has {@code width} columns. */
  static void requireColumns(Module layer, Node X, int width) {
    if (X.cols() != width) {
      throw new IllegalArgumentException(layer + ": " + X.name() + " is " + X.rows() + "×"
          + X.cols() + ", but this layer takes " + width + " columns");
    }
  }

  /** γ, the scale (1×width). */
  public Parameter gamma() {
    return gamma;
  }

  /** β, the shift (1×width). */
  public Parameter beta() {
    return beta;
  }

  /** The width of each row normalised. */
  public int width() {
    return gamma.cols();
  }

  @Override
  public String toString() {
    return "LayerNorm(" + width() + ")";
  }
}
