package dev.autodiff.nn;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/** An MLP's shape: the input width and each layer's width and activation. */
public record Architecture(int inputs, List<Layer> layers) {

  /** One layer: its output width and activation. */
  public record Layer(int width, Activation activation) {
    /** Checks width > 0 and an activation. */
    public Layer {
      if (width <= 0) {
        throw new IllegalArgumentException("a layer's width must be > 0, got " + width);
      }
      Objects.requireNonNull(activation, "activation");
    }
  }

  /** Checks inputs > 0 and at least one layer; the list is copied. */
  public Architecture {
    if (inputs <= 0) {
      throw new IllegalArgumentException("inputs must be > 0, got " + inputs);
    }
    if (layers.isEmpty()) {
      throw new IllegalArgumentException("an MLP needs at least one layer");
    }
    layers = List.copyOf(layers);
  }

  /** The width of the last layer. */
  public int outputs() {
    return layers.get(layers.size() - 1).width();
  }

  /** "784-256(RELU)-10(IDENTITY)". */
  @Override
  public String toString() {
    return inputs + "-" + layers.stream()
        .map(l -> l.width() + "(" + l.activation() + ")").collect(Collectors.joining("-"));
  }
}
