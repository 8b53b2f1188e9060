package dev.autodiff.core;

import dev.autodiff.core.kernels.Sums;
import org.ejml.data.DMatrixRMaj;

/**
 * y = ½‖x‖²_F (1×1);  x ← g·x. The notes' loss ½‖y − v‖²_F and penalty ½‖W‖²_F as one node, so a
 * trace reads ∂s/∂W = W as the notes do.
 */
final class HalfSquaredNorm extends Primitive {
  static final HalfSquaredNorm INSTANCE = new HalfSquaredNorm();

  private HalfSquaredNorm() {
    super("halfSquaredNorm", 1, "½‖{0}‖²");
  }

  @Override
  protected Shape shape(Node[] x) {
    return new Shape(1, 1);
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    y.data[0] = 0.5 * Sums.ofSquares(x[0]);
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    return y.input(0).mul(g);
  }

  @Override
  public String gradientFormula(int i) {
    return "{g}·{0}";
  }
}
