package dev.autodiff.core;

import dev.autodiff.core.kernels.Images;
import org.ejml.data.DMatrixRMaj;

/** y = the mean of each k×k window of each channel (N×(C·H′·W′));  x ← g/k² over each window. */
final class AvgPool2d extends Pooling {
  AvgPool2d(Images.Window window) {
    super("avgPool2d", window);
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    Images.avgPool(x[0], window, y);
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    return g.avgPoolSpread(window);
  }

  @Override
  public String gradientFormula(int i) {
    return "{g}/k² over each window";
  }
}
