package dev.autodiff.nn;

import dev.autodiff.core.Image;
import dev.autodiff.core.Node;

/**
 * Max pooling: each channel's k×k windows, moved by stride, replaced by their largest entry;
 * N×(C·H·W) → N×(C·H′·W′) with H′ = (H − k)/s + 1. No parameters.
 */
public final class MaxPool2d extends Pooling2d {
  /** k×k windows over images of shape in, moved by stride (PyTorch's default: stride = k). */
  public MaxPool2d(Image in, int k, int stride) {
    super("maxPool2d", in, k, stride);
  }

  @Override
  Node pool(Node X, Image in, int k, int stride) {
    return X.maxPool2d(in, k, stride);
  }
}
