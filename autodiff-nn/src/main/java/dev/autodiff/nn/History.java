package dev.autodiff.nn;

import java.util.List;
import java.util.Map;

/** What {@link Trainer#fit} did: one record per epoch, and why it stopped. */
public record History(List<Epoch> epochs, Stop stop) {

  /** Why training stopped. */
  public enum Stop {
    /** |J_{k+1} − J_k| &lt; ε₁ (seed 003). */
    OBJECTIVE_CHANGE,
    /** ‖∇J‖ &lt; ε₂ (seed 003). */
    GRADIENT_NORM,
    /** The validation loss did not improve for the patience's number of epochs. */
    EARLY_STOPPING,
    /** The maximum number of epochs was reached. */
    MAX_EPOCHS
  }

  /**
   * One epoch: L, s and J = L + s averaged over its batches (weighted by batch size), the norm of
   * ∇J averaged the same way, the loss on the validation set after it (NaN without one), the
   * metrics computed after it, and the wall time of its steps (validation and metrics not
   * included). With one batch per epoch these are exactly J(θ_k) and ‖∇J(θ_k)‖ before the epoch's
   * step.
   */
  public record Epoch(int epoch, double L, double s, double J, double gradientNorm,
      double validationL, Map<String, Double> metrics, double seconds) {
    /** The metrics are copied. */
    public Epoch {
      metrics = Map.copyOf(metrics);
    }
  }

  /** The list of epochs is copied. */
  public History {
    epochs = List.copyOf(epochs);
  }

  /** The last epoch run. */
  public Epoch last() {
    return epochs.get(epochs.size() - 1);
  }
}
