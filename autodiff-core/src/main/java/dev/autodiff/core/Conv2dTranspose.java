package dev.autodiff.core;

import dev.autodiff.core.kernels.Images;
import org.ejml.data.DMatrixRMaj;

/**
 * y = d ⋆ᵀ k: each position of d (N×(F·H′·W′)) sends kᵀ·d back over the window it came from,
 * giving N×(C·H·W), the gradient of a convolution with respect to its input;  d ← g ⋆ k ;
 * k ← Σ d·windows(g)ᵀ.
 */
final class Conv2dTranspose extends Primitive {
  private final Images.Window window;

  Conv2dTranspose(Images.Window window) {
    super("conv2dTranspose", 2, null);
    this.window = window;
  }

  @Override
  protected Shape shape(Node[] x) {
    Convolutions.requireKernel(name(), window, x[1]);
    Convolutions.requireOutput(name(), window, x[1].rows(), x[0]);
    return new Shape(x[0].rows(), window.imageSize());
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    Images.conv2dTranspose(x[0], x[1], window, y);
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    return i == 0 ? g.conv2d(y.input(1), window) : y.input(0).conv2dKernelGradient(g, window);
  }

  @Override
  public String gradientFormula(int i) {
    return i == 0 ? "{g} ⋆ {1}" : "Σ {0}·windows({g})ᵀ";
  }
}
