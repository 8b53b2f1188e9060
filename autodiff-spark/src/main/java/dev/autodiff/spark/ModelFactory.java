package dev.autodiff.spark;

import dev.autodiff.nn.Module;
import java.io.Serializable;

/**
 * Builds the architecture being trained; sent to the executors, where it is called once per
 * partition and executor JVM to make the replica that each step's parameters are copied into. The
 * initial values it gives do not matter there: every step overwrites them with the driver's.
 *
 * <pre>{@code
 * ModelFactory factory = () -> Mlp.builder(784).hidden(256, Activation.RELU).output(10).build();
 * }</pre>
 */
@FunctionalInterface
public interface ModelFactory extends Serializable {
  Module create();
}
