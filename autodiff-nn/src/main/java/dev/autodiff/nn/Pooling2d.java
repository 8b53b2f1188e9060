package dev.autodiff.nn;

import dev.autodiff.core.Image;
import dev.autodiff.core.Node;

/** A pooling layer: k×k windows of each channel, moved by stride, each replaced by one value. */
abstract sealed class Pooling2d extends Module permits MaxPool2d, AvgPool2d {
  private final String name;
  private final Image in;
  private final Image out;
  private final int k;
  private final int stride;

  Pooling2d(String name, Image in, int k, int stride) {
    this.name = name;
    this.in = in;
    this.out = Images.pooled(name, in, k, stride);
    this.k = k;
    this.stride = stride;
  }

  /** The pooling op on a batch of images of shape in. */
  abstract Node pool(Node X, Image in, int k, int stride);

  @Override
  public Node forward(Node X, Bindings p) {
    Images.require(toString(), X, in);
    return pool(X, in, k, stride);
  }

  /** The shape of each input image. */
  public Image in() {
    return in;
  }

  /** The shape of each output image: C×H′×W′. */
  public Image out() {
    return out;
  }

  @Override
  public String toString() {
    return Character.toUpperCase(name.charAt(0)) + name.substring(1) + "(" + in + " → " + out
        + ", " + k + "×" + k + ", stride " + stride + ")";
  }
}
