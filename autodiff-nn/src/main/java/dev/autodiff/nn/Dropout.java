package dev.autodiff.nn;

import dev.autodiff.core.Node;

/**
 * Dropout while training: y = x ⊙ m/(1 − p), each entry of m drawn from Bernoulli(1 − p); the
 * identity in inference.
 *
 * <p>A batch X maps to Y of its shape. Each entry is kept with probability 1 − p and scaled by
 * 1/(1 − p), so that its expected value is x, or set to 0 (PyTorch's {@code nn.Dropout}). The mask
 * is a random input of the {@link Bindings} ({@link Bindings#random}): the {@link Trainer} draws a
 * new one before every step, and the same seed and step draw the same one, so a resumed run drops
 * what the uninterrupted one did. A gradient goes through the kept entries only, scaled alike.
 */
public final class Dropout extends Module {
  private final double p;

  /** Drops each entry with probability p, 0 ≤ p &lt; 1. */
  public Dropout(double p) {
    if (!(p >= 0 && p < 1)) {
      throw new IllegalArgumentException("dropout needs a probability p in [0, 1), got " + p);
    }
    this.p = p;
  }

  /** Y = X ⊙ m/(1 − p) while training, with a mask drawn for the step; X in inference. */
  @Override
  public Node forward(Node X, Bindings b) {
    if (!b.training() || p == 0) {
      return X;
    }
    double keep = 1 - p;
    double scale = 1 / keep;
    Node mask = b.random("mask", X.rows(), X.cols(), (random, m) -> {
      for (int k = 0; k < m.getNumElements(); k++) {
        m.data[k] = random.nextDouble() < keep ? scale : 0;
      }
    });
    return X.mul(mask);
  }

  /** The probability of dropping an entry. */
  public double p() {
    return p;
  }

  @Override
  public String toString() {
    return "Dropout(p=" + p + ")";
  }
}
