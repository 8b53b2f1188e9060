package dev.autodiff.core;

import dev.autodiff.core.kernels.Images;
import org.ejml.data.DMatrixRMaj;

/**
 * y = each entry of d (N×(C·H′·W′)) spread evenly over its window, overlaps added (avgPool2d's
 * gradient, N×(C·H·W));  d ← avgPool2d(g).
 */
final class AvgPoolSpread extends Primitive {
  private final Images.Window window;

  AvgPoolSpread(Images.Window window) {
    super("avgPoolSpread", 1, null);
    this.window = window;
  }

  @Override
  protected Shape shape(Node[] x) {
    Convolutions.requireOutput(name(), window, window.c(), x[0]);
    return new Shape(x[0].rows(), window.imageSize());
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    Images.avgPoolSpread(x[0], window, y);
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    return g.avgPool2d(window);
  }

  @Override
  public String gradientFormula(int i) {
    return "avgPool2d({g})";
  }
}
