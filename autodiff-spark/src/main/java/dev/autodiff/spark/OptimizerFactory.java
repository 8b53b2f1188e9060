package dev.autodiff.spark;

import dev.autodiff.nn.Optimizer;
import java.io.Serializable;

/**
 * Makes an optimizer on an executor, e.g. {@code () -> Optimizer.sgd(0.05)}: parameter averaging
 * starts each partition's local steps with a new one every round.
 */
@FunctionalInterface
public interface OptimizerFactory extends Serializable {
  Optimizer create();
}
