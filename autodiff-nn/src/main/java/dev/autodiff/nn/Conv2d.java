package dev.autodiff.nn;

import dev.autodiff.core.Image;
import dev.autodiff.core.Node;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;

/**
 * A 2-D convolution layer: a batch of images (N×(C·H·W), one image a row, channel-major) maps to
 * N×(F·H′·W′), each of the F output channels the sum over the C input channels of a k×k kernel
 * moved by stride over the zero-padded image, plus the channel's bias; H′ = (H + 2p − k)/s + 1.
 *
 * <p>W is F×(C·k·k), one kernel a row; b is 1×F. Initialisation: W from He's N(0, 2/(C·k·k)) for a
 * relu after it, b = 0; the same random source gives the same values.
 */
public final class Conv2d extends Module {
  private final Image in;
  private final Image out;
  private final int k;
  private final int stride;
  private final int padding;
  private final Parameter W;
  private final Parameter b;

  /** F = filters kernels of k×k over images of shape in, moved by stride, with zero padding. */
  public Conv2d(Image in, int filters, int k, int stride, int padding, Random random) {
    if (filters <= 0 || k <= 0 || stride <= 0 || padding < 0) {
      throw new IllegalArgumentException("conv2d needs filters, k and stride > 0 and padding >= 0,"
          + " got " + filters + ", " + k + ", " + stride + " and " + padding);
    }
    int h = (in.height() + 2 * padding - k) / stride + 1;
    int w = (in.width() + 2 * padding - k) / stride + 1;
    if (in.height() + 2 * padding < k || in.width() + 2 * padding < k) {
      throw new IllegalArgumentException("conv2d: a " + k + "×" + k + " kernel does not fit " + in
          + " images padded by " + padding);
    }
    this.in = in;
    this.out = new Image(filters, h, w);
    this.k = k;
    this.stride = stride;
    this.padding = padding;
    int fanIn = in.channels() * k * k;
    DMatrixRMaj kernels = new DMatrixRMaj(filters, fanIn);
    Init.normal(kernels, Math.sqrt(2.0 / fanIn), random);
    this.W = weight("W", kernels);
    this.b = bias("b", new DMatrixRMaj(1, filters));
  }

  /** Y = conv(X, W) ⊕ b, each channel's bias added to all its H′·W′ outputs. */
  @Override
  public Node forward(Node X, Bindings p) {
    Images.require(toString(), X, in);
    Node y = X.conv2d(p.apply(W), in, k, k, stride, padding);
    int pixels = out.height() * out.width();
    // b (1×F) as a row of F·H′·W′: each channel's bias repeated over its pixels
    Node bias = p.apply(b).transpose().broadcastTo(out.channels(), pixels)
        .reshape(1, out.size());
    return y.add(bias);
  }

  /** The shape of each input image. */
  public Image in() {
    return in;
  }

  /** The shape of each output image: F×H′×W′. */
  public Image out() {
    return out;
  }

  /** The kernels, one per row (F×(C·k·k)). */
  public Parameter W() {
    return W;
  }

  /** The biases, one per output channel (1×F). */
  public Parameter b() {
    return b;
  }

  @Override
  public String toString() {
    return "Conv2d(" + in + " → " + out + ", " + k + "×" + k + ", stride " + stride
        + ", padding " + padding + ")";
  }
}
