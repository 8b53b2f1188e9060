package dev.autodiff.nn;

import java.util.Objects;

/**
 * A learning-rate schedule: the factor f by which the optimizer's base rate α₀ is multiplied at a
 * point of training, α = α₀ f. {@link Trainer} sets α before every step from the steps taken so
 * far and the epochs done (as a fraction: 2.5 is half-way through the third epoch), and keeps it
 * at least the smallest normal double, so no schedule can make a rate of 0, a NaN or an ∞.
 *
 * <pre>{@code
 * Schedule s = Schedule.warmUp(500).times(Schedule.cosine(10, 0.01));
 * }</pre>
 */
@FunctionalInterface
public interface Schedule {
  /** The factor at the step with index {@code step} (0 first), after {@code epochs} epochs. */
  double factor(long step, double epochs);

  /** A constant rate: f = 1. */
  static Schedule constant() {
    return (step, epochs) -> 1;
  }

  /** Step decay: f = γ^⌊epochs / every⌋, with 0 &lt; γ ≤ 1 (PyTorch's StepLR). */
  static Schedule step(int every, double gamma) {
    if (every <= 0) {
      throw new IllegalArgumentException("a step schedule needs a period > 0 epochs, got " + every);
    }
    checkGamma(gamma);
    return (step, epochs) -> Math.pow(gamma, Math.floor(epochs / every));
  }

  /** Exponential decay once an epoch: f = γ^⌊epochs⌋, with 0 &lt; γ ≤ 1 (PyTorch's ExponentialLR). */
  static Schedule exponential(double gamma) {
    checkGamma(gamma);
    return (step, epochs) -> Math.pow(gamma, Math.floor(epochs));
  }

  /**
   * Cosine annealing from 1 to {@code floor} over {@code length} epochs, then {@code floor}:
   * f = floor + (1 − floor)(1 + cos(π e/E))/2, with 0 ≤ floor &lt; 1.
   */
  static Schedule cosine(double length, double floor) {
    if (!(length > 0 && Double.isFinite(length))) {
      throw new IllegalArgumentException("a cosine schedule needs a length > 0 epochs, got "
          + length);
    }
    if (!(floor >= 0 && floor < 1)) {
      throw new IllegalArgumentException("a cosine schedule's floor must be in [0, 1), got "
          + floor);
    }
    return (step, e) ->
        floor + (1 - floor) * (1 + Math.cos(Math.PI * Math.min(e, length) / length)) / 2;
  }

  /** Linear warm-up over the first {@code steps} steps: f = min(1, (step + 1)/steps). */
  static Schedule warmUp(long steps) {
    if (steps <= 0) {
      throw new IllegalArgumentException("a warm-up needs a length > 0 steps, got " + steps);
    }
    return (step, epochs) -> Math.min(1, (step + 1) / (double) steps);
  }

  /** The product of the two factors: a warm-up times a decay. */
  default Schedule times(Schedule other) {
    Objects.requireNonNull(other, "other");
    return (step, epochs) -> factor(step, epochs) * other.factor(step, epochs);
  }

  private static void checkGamma(double gamma) {
    if (!(gamma > 0 && gamma <= 1)) {
      throw new IllegalArgumentException("the decay γ must be in (0, 1], got " + gamma);
    }
  }
}
