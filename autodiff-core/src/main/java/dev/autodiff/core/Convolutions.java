package dev.autodiff.core;

import dev.autodiff.core.kernels.Images;

/** The shape checks the convolution and pooling ops share, each naming the op, node and shapes. */
final class Convolutions {
  private Convolutions() {}

  /** Throws unless x is a batch of the window's images: C·H·W entries a row. */
  static void requireBatch(String op, Images.Window w, Node x) {
    if (x.cols() != w.imageSize()) {
      throw new IllegalArgumentException(op + ": " + Shapes.describe(x) + " is not a batch of "
          + w.c() + "×" + w.h() + "×" + w.w() + " images: each row needs " + w.imageSize()
          + " entries");
    }
  }

  /** Throws unless k holds kernels of C·kh·kw entries, one a row. */
  static void requireKernel(String op, Images.Window w, Node k) {
    int size = w.c() * w.kh() * w.kw();
    if (k.cols() != size) {
      throw new IllegalArgumentException(op + ": the kernel " + Shapes.describe(k) + " needs "
          + size + " columns, C·kh·kw for " + w.c() + " channels of " + w.kh() + "×" + w.kw());
    }
  }

  /** Throws unless d holds, a row per image, `channels` maps of the window's H′×W′ positions. */
  static void requireOutput(String op, Images.Window w, int channels, Node d) {
    if (channels < 1 || d.cols() != channels * w.positions()) {
      throw new IllegalArgumentException(op + ": " + Shapes.describe(d) + " is not a batch of "
          + channels + "×" + w.oh() + "×" + w.ow() + " maps");
    }
  }
}
