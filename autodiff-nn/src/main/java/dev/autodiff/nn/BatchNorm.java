package dev.autodiff.nn;

import dev.autodiff.core.Node;
import org.ejml.data.DMatrixRMaj;

/**
 * Batch normalisation of each feature: y = γ ⊙ (x − μ)/√(σ² + ε) + β, per column.
 *
 * <p>A batch X (N×width, one example per row, a feature per column) maps to Y (N×width). While
 * training, μ and σ² are the batch's column means and biased variances (1/N) Σ (x − μ)², and each
 * forward pass moves the running statistics toward them with momentum m = 0.1, as PyTorch's
 * {@code nn.BatchNorm1d}: runningMean ← (1 − m)·runningMean + m·μ and runningVariance ← (1 − m)·
 * runningVariance + m·σ²·N/(N − 1), the unbiased variance. In inference ({@link
 * Bindings#constants}, {@link #predict}) μ and σ² are the running statistics. ε = 1e-5.
 *
 * <p>The running statistics are updated through {@link Bindings#observe}: after every forward pass
 * of the {@link Trainer} (one per micro-batch when it accumulates), or when the caller of a
 * training forward hands the values over itself ({@code p.observe(Node::value)}). They are
 * statistics: saved in model files, never trained.
 *
 * <p>Initialisation: γ = 1, β = 0 (biases, not in the penalty s), runningMean = 0,
 * runningVariance = 1.
 */
public final class BatchNorm extends Module {
  /** The weight m of the batch's statistics in each update of the running ones. */
  public static final double MOMENTUM = 0.1;

  private final Parameter gamma;
  private final Parameter beta;
  private final Parameter runningMean;
  private final Parameter runningVariance;

  /** Normalises {@code width} features; γ = 1, β = 0, running mean 0 and variance 1. */
  public BatchNorm(int width) {
    if (width <= 0) {
      throw new IllegalArgumentException("a batch norm needs width > 0, got " + width);
    }
    this.gamma = bias("gamma", Init.ones(width));
    this.beta = bias("beta", new DMatrixRMaj(1, width));
    this.runningMean = statistic("runningMean", new DMatrixRMaj(1, width));
    this.runningVariance = statistic("runningVariance", Init.ones(width));
  }

  /**
   * Y = γ ⊙ (X − μ)/√(σ² + ε) + β: μ and σ² of the batch's columns while training (observed, to
   * update the running statistics), the running statistics otherwise.
   *
   * @throws IllegalArgumentException naming the layer and X's shape when X is not N×width, or
   *     while training when N = 1: one example has no variance to normalise by
   */
  @Override
  public Node forward(Node X, Bindings p) {
    LayerNorm.requireColumns(this, X, width());
    if (!p.training()) {
      return LayerNorm.normalise(X, p.apply(runningMean), p.apply(runningVariance),
          p.apply(gamma), p.apply(beta));
    }
    int n = X.rows();
    if (n < 2) {
      throw new IllegalArgumentException(this + ": " + X.name() + " is " + X.rows() + "×"
          + X.cols() + ", but training needs a batch of at least 2 rows to estimate variances");
    }
    Node mean = X.meanCols();
    Node variance = X.varianceCols();
    p.observe(mean, m -> update(runningMean.value(), m, 1));
    p.observe(variance, v -> update(runningVariance.value(), v, n / (n - 1.0)));
    return LayerNorm.normalise(X, mean, variance, p.apply(gamma), p.apply(beta));
  }

  /** running ← (1 − m)·running + m·c·batch. running Modified; batch Not modified. */
  private static void update(DMatrixRMaj running, DMatrixRMaj batch, double c) {
    for (int j = 0; j < running.getNumElements(); j++) {
      running.data[j] = (1 - MOMENTUM) * running.data[j] + MOMENTUM * (c * batch.data[j]);
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

  /** The running mean of each column (1×width), a statistic. */
  public Parameter runningMean() {
    return runningMean;
  }

  /** The running unbiased variance of each column (1×width), a statistic. */
  public Parameter runningVariance() {
    return runningVariance;
  }

  /** The number of features (columns) normalised. */
  public int width() {
    return gamma.cols();
  }

  @Override
  public String toString() {
    return "BatchNorm(" + width() + ")";
  }
}
