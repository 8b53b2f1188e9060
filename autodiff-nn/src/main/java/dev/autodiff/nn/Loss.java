package dev.autodiff.nn;

import dev.autodiff.core.Node;

/**
 * A data term L(output, Y) as a 1×1 node, one example per row of both. A loss "with logits" reads
 * the last layer's pre-activation Z (stable for any logit) instead of the activated output.
 */
public interface Loss {
  /** The loss's name, for messages and traces. */
  String name();

  /** True when {@link #apply} expects logits Z rather than the model's activated output. */
  boolean fromLogits();

  /** L, 1×1, for a batch: output and Y are N×k. */
  Node apply(Node output, Node Y);

  /**
   * True when L is a mean over the batch's rows (so the L of a batch is the size-weighted mean of
   * its parts' L), false when it is a sum. Gradient accumulation reads it. Default true.
   */
  default boolean averagesRows() {
    return true;
  }
}
