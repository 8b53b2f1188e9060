package dev.autodiff.nn;

import java.util.List;
import java.util.Map;

/** What {@link Trainer#fit} did: one record per epoch, and why it stopped. */
public record History(List<Epoch> epochs, Stop stop) {

  /** Why training stopped (seed 003's convergence criteria, or the epoch budget). */
  public enum Stop {
    /** |J_{k+1} − J_k| &lt; ε₁. */
    OBJECTIVE_CHANGE,
    /** ‖∇J‖ &lt; ε₂. */
    GRADIENT_NORM,
    /** The maximum number of epochs was reached. */
    MAX_EPOCHS
  }

  /**
   * One epoch: L, s and J averaged over its batches (weighted by batch size), the norm of ∇J
   * averaged the same way, the metrics computed after it, and the wall time of its steps (metrics
   * not included). With one batch per epoch these are exactly J(θ_k) and ‖∇J(θ_k)‖ before the
   * epoch's step.
   */
  public record Epoch(int epoch, double L, double s, double J, double gradientNorm,
      Map<String, Double> metrics, double seconds) {
    public Epoch {
      metrics = Map.copyOf(metrics);
    }
  }

  public History {
    epochs = List.copyOf(epochs);
  }

  public Epoch last() {
    return epochs.get(epochs.size() - 1);
  }
}
