package dev.autodiff.core;

import dev.autodiff.core.kernels.Images;
import org.ejml.data.DMatrixRMaj;

/**
 * y = Σ d·windows(x)ᵀ over the batch: F×(C·kh·kw) from d (N×(F·H′·W′)) and images x, the gradient
 * of a convolution with respect to its kernel;  d ← x ⋆ g ;  x ← d ⋆ᵀ g.
 */
final class Conv2dKernelGradient extends Primitive {
  private final Images.Window window;

  Conv2dKernelGradient(Images.Window window) {
    super("conv2dKernelGradient", 2, null);
    this.window = window;
  }

  @Override
  protected Shape shape(Node[] x) {
    Convolutions.requireBatch(name(), window, x[1]);
    int filters = x[0].cols() / window.positions();
    Convolutions.requireOutput(name(), window, filters, x[0]);
    return new Shape(filters, window.c() * window.kh() * window.kw());
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    Images.conv2dKernel(x[0], x[1], window, y);
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    return i == 0 ? y.input(1).conv2d(g, window) : y.input(0).conv2dTranspose(g, window);
  }

  @Override
  public String gradientFormula(int i) {
    return i == 0 ? "{1} ⋆ {g}" : "{0} ⋆ᵀ {g}";
  }
}
