package dev.autodiff.nn;

import dev.autodiff.core.Image;
import dev.autodiff.core.Node;

/**
 * The step from images to features, as PyTorch's {@code Flatten} between a convolution and a
 * linear layer: here a batch of images is already N×(C·H·W), one image a row, so the values pass
 * unchanged and the layer checks that each row is an image of the expected shape. No parameters.
 */
public final class Flatten extends Module {
  private final Image in;

  /** Features from images of shape in. */
  public Flatten(Image in) {
    this.in = in;
  }

  @Override
  public Node forward(Node X, Bindings p) {
    Images.require(toString(), X, in);
    return X;
  }

  /** C·H·W: the width of the features. */
  public int out() {
    return in.size();
  }

  @Override
  public String toString() {
    return "Flatten(" + in + " → " + in.size() + ")";
  }
}
