package dev.autodiff.nn;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.List;
import java.util.stream.Collectors;

/** An MLP's shape: the input width and each layer's width and activation. */
public record Architecture(int inputs, List<Layer> layers) {

  /** One layer: its output width and activation. */
  public record Layer(int width, Activation activation) {
    public Layer {
      checkArgument(width > 0, "a layer's width must be > 0, got %s", width);
      checkNotNull(activation, "activation");
    }
  }

  public Architecture {
    checkArgument(inputs > 0, "inputs must be > 0, got %s", inputs);
    checkArgument(!layers.isEmpty(), "an MLP needs at least one layer");
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
