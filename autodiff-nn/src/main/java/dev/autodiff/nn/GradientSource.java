package dev.autodiff.nn;

import java.util.Map;
import org.ejml.data.DMatrixRMaj;

/**
 * A training set whose batches' gradients are computed away from the trainer — across the
 * partitions of a cluster, say — for {@link Trainer#fit(Module, GradientSource)}. It gives the
 * data term L and ∂L/∂θ; the trainer adds the penalty s once, then clips, schedules, steps,
 * checkpoints and keeps the history as it does for local data.
 */
public interface GradientSource {
  /** The number of examples, indexed 0 … size() − 1. */
  int size();

  /** The loss L it computes: the trainer's objective must have the same. */
  Loss loss();

  /**
   * L over the examples with the given indices, reduced as the loss reduces rows (a mean or a
   * sum over them), and ∂L/∂θ for every trainable parameter of model, by path, in matrices of its
   * own that the trainer may change (clipping). The model's parameters Not modified.
   */
  LossGradient lossGradient(Module model, int[] indices, long step);

  /** A batch's L and its gradient with respect to each trainable parameter, by path. */
  record LossGradient(double L, Map<String, DMatrixRMaj> gradient) {}
}
