package dev.autodiff.core;

import dev.autodiff.core.kernels.Images;
import org.ejml.data.DMatrixRMaj;

/**
 * y = zeros shaped like the images x, with each entry of d added where its window's max is in x
 * (maxPool2d's gradient);  d ← g read at those places (maxPoolGather) ;  x ← 0 almost everywhere.
 */
final class MaxPoolScatter extends Primitive {
  private final Images.Window window;

  MaxPoolScatter(Images.Window window) {
    super("maxPoolScatter", 2, null);
    this.window = window;
  }

  @Override
  protected Shape shape(Node[] x) {
    Convolutions.requireBatch(name(), window, x[1]);
    Convolutions.requireOutput(name(), window, window.c(), x[0]);
    return x[1].shape();
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    Images.maxPoolScatter(x[0], x[1], window, y);
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    return i == 0 ? g.maxPoolGather(y.input(1), window) : null;
  }

  @Override
  public String gradientFormula(int i) {
    return i == 0 ? "{g} at each window's max" : "0";
  }
}
