package dev.autodiff.core;

import dev.autodiff.core.kernels.Images;
import org.ejml.data.DMatrixRMaj;

/**
 * y = the largest entry of each k×k window of each channel (N×(C·H′·W′));  x ← g put where each
 * window's largest entry is, the first of ties.
 */
final class MaxPool2d extends Pooling {
  MaxPool2d(Images.Window window) {
    super("maxPool2d", window);
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    Images.maxPool(x[0], window, y);
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    return g.maxPoolScatter(y.input(0), window);
  }

  @Override
  public String gradientFormula(int i) {
    return "{g} at each window's max";
  }
}
