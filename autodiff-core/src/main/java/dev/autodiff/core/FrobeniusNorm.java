package dev.autodiff.core;

import dev.autodiff.core.kernels.Sums;
import org.ejml.data.DMatrixRMaj;

/** y = ‖x‖_F (1×1);  x ← (g / y)·x, and 0 at x = 0 (a subgradient, PyTorch's choice). */
final class FrobeniusNorm extends Primitive {
  static final FrobeniusNorm INSTANCE = new FrobeniusNorm();

  private FrobeniusNorm() {
    super("frobeniusNorm", 1, "‖{0}‖");
  }

  @Override
  protected Shape shape(Node[] x) {
    return new Shape(1, 1);
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    y.data[0] = Sums.norm(x[0]);
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    return y.input(0).mul(g.divNoNan(y));
  }

  @Override
  public String gradientFormula(int i) {
    return "({g} / {y})·{0}";
  }
}
