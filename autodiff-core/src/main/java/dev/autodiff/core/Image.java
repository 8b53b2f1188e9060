package dev.autodiff.core;

/**
 * The shape of each image of a batch: a batch of N images is an N×(C·H·W) matrix, one image per
 * row, channel-major within the row (PyTorch's {@code x.reshape(N, -1)} of an NCHW tensor).
 */
public record Image(int channels, int height, int width) {
  /** Checks that every dimension is at least 1. */
  public Image {
    if (channels < 1 || height < 1 || width < 1) {
      throw new IllegalArgumentException("an image needs channels, height and width ≥ 1, got "
          + channels + "×" + height + "×" + width);
    }
  }

  /** C·H·W: the width of a batch's matrix. */
  public int size() {
    return channels * height * width;
  }

  @Override
  public String toString() {
    return channels + "×" + height + "×" + width;
  }
}
