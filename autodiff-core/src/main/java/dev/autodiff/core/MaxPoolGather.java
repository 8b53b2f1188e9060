package dev.autodiff.core;

import dev.autodiff.core.kernels.Images;
import org.ejml.data.DMatrixRMaj;

/**
 * y = h's entry where each window's max is in the images x (N×(C·H′·W′));  h ← g put back at
 * those places (maxPoolScatter) ;  x ← 0 almost everywhere.
 */
final class MaxPoolGather extends Primitive {
  private final Images.Window window;

  MaxPoolGather(Images.Window window) {
    super("maxPoolGather", 2, null);
    this.window = window;
  }

  @Override
  protected Shape shape(Node[] x) {
    Convolutions.requireBatch(name(), window, x[0]);
    Convolutions.requireBatch(name(), window, x[1]);
    Shapes.requireSame(name(), x[0], x[1]);
    return new Shape(x[1].rows(), window.c() * window.positions());
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    Images.maxPoolGather(x[0], x[1], window, y);
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    return i == 0 ? g.maxPoolScatter(y.input(1), window) : null;
  }

  @Override
  public String gradientFormula(int i) {
    return i == 0 ? "{g} put at each window's max" : "0";
  }
}
