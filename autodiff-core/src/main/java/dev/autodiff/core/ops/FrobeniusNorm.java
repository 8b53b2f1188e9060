package dev.autodiff.core.ops;

import dev.autodiff.core.Node;
import dev.autodiff.core.Op;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.NormOps_DDRM;

/** y = ‖x‖_F;  x ← (g / y)·x, and 0 at x = 0 (a subgradient, PyTorch's choice) rather than NaN. */
public final class FrobeniusNorm implements Op {
  public static final FrobeniusNorm INSTANCE = new FrobeniusNorm();

  private FrobeniusNorm() {}

  @Override
  public String name() {
    return "frobeniusNorm";
  }

  @Override
  public DMatrixRMaj forward(Node... x) {
    Ops.arity(this, x, 1);
    return Ops.value(this, x, 1, 1);
  }

  @Override
  public void recompute(Node[] x, DMatrixRMaj y) {
    // EJML's normF scales by the largest entry, so huge or tiny entries neither overflow nor vanish
    y.data[0] = NormOps_DDRM.normF(x[0].value());
  }

  @Override
  public void backward(DMatrixRMaj g, DMatrixRMaj y, Node[] x, DMatrixRMaj[] gx) {
    double n = y.data[0];
    if (gx[0] != null && n != 0) { // a NaN norm passes a NaN on rather than a silent 0
      CommonOps_DDRM.addEquals(gx[0], g.data[0] / n, x[0].value());
    }
  }

  @Override
  public String gradientFormula(int i) {
    return "({g} / {y})·{0}";
  }
}
