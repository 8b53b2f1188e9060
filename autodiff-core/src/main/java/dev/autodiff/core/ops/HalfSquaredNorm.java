package dev.autodiff.core.ops;

import dev.autodiff.core.Node;
import dev.autodiff.core.Op;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * y = ½‖x‖²_F;  x ← g·x. The notes' loss ½‖y − v‖²_F and penalty ½‖W‖²_F as one node, so a trace
 * reads ∂s/∂W = W as the notes do.
 */
public final class HalfSquaredNorm implements Op {
  public static final HalfSquaredNorm INSTANCE = new HalfSquaredNorm();

  private HalfSquaredNorm() {}

  @Override
  public String name() {
    return "halfSquaredNorm";
  }

  @Override
  public DMatrixRMaj forward(Node... x) {
    Ops.arity(this, x, 1);
    DMatrixRMaj a = x[0].value();
    double s = 0;
    for (int k = 0; k < a.getNumElements(); k++) {
      s += a.data[k] * a.data[k];
    }
    return new DMatrixRMaj(1, 1, true, 0.5 * s);
  }

  @Override
  public void backward(DMatrixRMaj g, DMatrixRMaj y, Node[] x, DMatrixRMaj[] gx) {
    if (gx[0] != null) {
      CommonOps_DDRM.addEquals(gx[0], g.data[0], x[0].value());
    }
  }

  @Override
  public String gradientFormula(int i) {
    return "{g}·{0}";
  }
}
