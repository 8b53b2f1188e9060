package dev.autodiff.nn;

import dev.autodiff.core.Node;
import java.util.ArrayList;
import java.util.List;

/**
 * Modules applied one after another, the output of each the input of the next; they are named
 * "0", "1", … so their parameters are {@code 0.W}, {@code 0.b}, …
 *
 * <pre>{@code
 * Random random = new Random(42);
 * Module model = new Sequential(Linear.he(784, 128, random), Activation.RELU.layer(),
 *     new Linear(128, 10, random));
 * }</pre>
 */
public final class Sequential extends Module {
  private final List<Module> layers = new ArrayList<>();

  /** The modules in the order they are applied; at least one. */
  public Sequential(Module... layers) {
    if (layers.length == 0) {
      throw new IllegalArgumentException("a Sequential needs at least one module");
    }
    for (Module m : layers) {
      this.layers.add(module(String.valueOf(this.layers.size()), m));
    }
  }

  @Override
  public Node forward(Node input, Bindings p) {
    Node x = input;
    for (Module m : layers) {
      x = m.forward(x, p);
    }
    return x;
  }

  /** The modules in order. */
  public List<Module> layers() {
    return List.copyOf(layers);
  }
}
