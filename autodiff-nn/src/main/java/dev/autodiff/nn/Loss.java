package dev.autodiff.nn;

import dev.autodiff.core.Node;
import dev.autodiff.core.Tape;

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

  /**
   * L of model on a data set, in inference mode (parameters as constants), on a tape of its own:
   * a validation or test loss. The data and the model Not modified.
   */
  default double evaluate(Module model, Data data) {
    try (Tape tape = new Tape()) {
      Bindings p = Bindings.constants(tape, model);
      Node X = tape.constant("X", data.X());
      Node out = fromLogits() ? model.logits(X, p) : model.forward(X, p);
      return apply(out, tape.constant("Y", data.Y())).value().get(0, 0);
    }
  }
}
