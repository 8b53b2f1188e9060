package dev.autodiff.core;

import java.util.Random;
import org.ejml.data.DMatrixRMaj;

/**
 * y = x ⊙ m/(1 − p) with a mask m of Bernoulli(1 − p) draws, made from the seed when first applied
 * and kept, so that the gradient and every later run use the same mask;  x ← g ⊙ m/(1 − p).
 */
final class Dropout extends Unary {
  private final double p;
  private final long seed;
  /** The kept entries' scale 1/(1 − p), and 0 for the dropped ones: drawn once. */
  private double[] mask;

  Dropout(double p, long seed) {
    super("dropout", null);
    if (!(p >= 0 && p < 1)) {
      throw new IllegalArgumentException("dropout: p must be in [0, 1), got " + p);
    }
    this.p = p;
    this.seed = seed;
  }

  @Override
  public String name() {
    return "dropout(" + p + ")";
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    int n = y.getNumElements();
    if (mask != null && mask.length != n) {
      throw new IllegalArgumentException(name() + ": its mask has " + mask.length
          + " entries, and this input " + n);
    }
    if (mask == null) {
      Random random = new Random(seed);
      mask = new double[n];
      for (int k = 0; k < n; k++) {
        mask[k] = random.nextDouble() < p ? 0 : 1 / (1 - p);
      }
    }
    for (int k = 0; k < n; k++) {
      y.data[k] = x[0].data[k] * mask[k];
    }
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    return g.apply(this); // the same mask
  }

  @Override
  public String gradientFormula(int i) {
    return "{g} ⊙ m/(1 − " + p + ")";
  }
}
