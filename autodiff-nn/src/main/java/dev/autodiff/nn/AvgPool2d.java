package dev.autodiff.nn;

import dev.autodiff.core.Image;
import dev.autodiff.core.Node;

/**
 * Average pooling: each channel's k×k windows, moved by stride, replaced by their mean;
 * N×(C·H·W) → N×(C·H′·W′) with H′ = (H − k)/s + 1. No parameters.
 */
public final class AvgPool2d extends Module {
  private final Image in;
  private final Image out;
  private final int k;
  private final int stride;

  /** k×k windows over images of shape in, moved by stride (PyTorch's default: stride = k). */
  public AvgPool2d(Image in, int k, int stride) {
    this.in = in;
    this.out = Images.pooled("avgPool2d", in, k, stride);
    this.k = k;
    this.stride = stride;
  }

  @Override
  public Node forward(Node X, Bindings p) {
    Images.require(toString(), X, in);
    return X.avgPool2d(in, k, stride);
  }

  public Image in() {
    return in;
  }

  public Image out() {
    return out;
  }

  @Override
  public String toString() {
    return "AvgPool2d(" + in + " → " + out + ", " + k + "×" + k + ", stride " + stride + ")";
  }
}
