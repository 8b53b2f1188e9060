package dev.autodiff.core;

import dev.autodiff.core.kernels.Images;
import org.ejml.data.DMatrixRMaj;

/**
 * y = x ⋆ k: a batch x (N×(C·H·W)) convolved with F kernels k (F×(C·kh·kw)), giving N×(F·H′·W′),
 * by im2col and a product per block of images;  x ← the transposed convolution of g with k ;
 * k ← Σ g·windowsᵀ.
 */
final class Conv2d extends Primitive {
  private final Images.Window window;

  Conv2d(Images.Window window) {
    super("conv2d", 2, "{0} ⋆ {1}");
    this.window = window;
  }

  @Override
  protected Shape shape(Node[] x) {
    Convolutions.requireBatch(name(), window, x[0]);
    Convolutions.requireKernel(name(), window, x[1]);
    return new Shape(x[0].rows(), x[1].rows() * window.positions());
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    Images.conv2d(x[0], x[1], window, y);
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    return i == 0 ? g.conv2dTranspose(y.input(1), window)
        : g.conv2dKernelGradient(y.input(0), window);
  }

  @Override
  public String gradientFormula(int i) {
    return i == 0 ? "{g} ⋆ᵀ {1}" : "Σ {g}·windows({0})ᵀ";
  }
}
