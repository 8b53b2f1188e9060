package dev.autodiff.core;

import dev.autodiff.core.kernels.Images;

/** A pooling of each k×k window of each channel of a batch of images: N×(C·H·W) to N×(C·H′·W′). */
abstract class Pooling extends Primitive {
  final Images.Window window;

  Pooling(String name, Images.Window window) {
    super(name, 1, null);
    this.window = window;
  }

  @Override
  protected final Shape shape(Node[] x) {
    Convolutions.requireBatch(name(), window, x[0]);
    return new Shape(x[0].rows(), window.c() * window.positions());
  }
}
