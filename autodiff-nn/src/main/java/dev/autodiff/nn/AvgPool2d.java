package dev.autodiff.nn;

import dev.autodiff.core.Image;
import dev.autodiff.core.Node;

/**
 * Average pooling: each channel's k×k windows, moved by stride, replaced by their mean;
 * N×(C·H·W) → N×(C·H′·W′) with H′ = (H − k)/s + 1. No parameters.
 */
public final class AvgPool2d extends Pooling2d {
  /** k×k windows over images of shape in, moved by stride (PyTorch's default: stride = k). */
  public AvgPool2d(Image in, int k, int stride) {
    super("avgPool2d", in, k, stride);
  }

  @Override
  Node pool(Node X, Image in, int k, int stride) {
    return X.avgPool2d(in, k, stride);
  }
}
