package dev.autodiff.nn;

import dev.autodiff.core.Image;
import dev.autodiff.core.Node;

/** Checks shared by the layers on batches of images. */
final class Images {
  private Images() {}

  /** Throws, naming the layer, X and both widths, unless X's rows are images of shape in. */
  static void require(String layer, Node X, Image in) {
    if (X.cols() != in.size()) {
      throw new IllegalArgumentException(layer + ": " + X.name() + " is " + X.rows() + "×"
          + X.cols() + ", but images of " + in + " need " + in.size() + " columns");
    }
  }

  /** The output image of a k×k window moved by stride over in, without padding. */
  static Image pooled(String layer, Image in, int k, int stride) {
    if (k <= 0 || stride <= 0 || k > in.height() || k > in.width()) {
      throw new IllegalArgumentException(layer + ": a " + k + "×" + k + " window with stride "
          + stride + " does not fit " + in + " images");
    }
    return new Image(in.channels(), (in.height() - k) / stride + 1,
        (in.width() - k) / stride + 1);
  }
}
