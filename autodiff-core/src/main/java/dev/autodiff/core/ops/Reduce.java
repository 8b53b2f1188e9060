package dev.autodiff.core.ops;

import dev.autodiff.core.Node;
import dev.autodiff.core.Op;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/** Sums and means; the gradient spreads g back over the entries that were summed. */
public final class Reduce implements Op {
  private static final int ALL = 0;
  private static final int ROWS = 1;
  private static final int COLS = 2;

  /** y = Σ x (1×1);  x ← g·1. */
  public static final Reduce SUM = new Reduce("sum", ALL, false, "{g}·1");
  /** y = Σ x / N (1×1);  x ← g·1/N. */
  public static final Reduce MEAN = new Reduce("mean", ALL, true, "{g}·1/N");
  /** y_i = Σ_j x_ij (m×1);  x ← g broadcast along each row. */
  public static final Reduce SUM_ROWS = new Reduce("sumRows", ROWS, false, "{g}·1ᵀ");
  /** y_j = Σ_i x_ij (1×n);  x ← g broadcast down each column. */
  public static final Reduce SUM_COLS = new Reduce("sumCols", COLS, false, "1·{g}");

  private final String name;
  private final int axis;
  private final boolean mean;
  private final String formula;

  private Reduce(String name, int axis, boolean mean, String formula) {
    this.name = name;
    this.axis = axis;
    this.mean = mean;
    this.formula = formula;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public DMatrixRMaj forward(Node... x) {
    Ops.arity(this, x, 1);
    Node a = x[0];
    return Ops.value(this, x, axis == ROWS ? a.rows() : 1, axis == COLS ? a.cols() : 1);
  }

  @Override
  public void recompute(Node[] x, DMatrixRMaj y) {
    DMatrixRMaj a = x[0].value();
    switch (axis) {
      case ROWS -> CommonOps_DDRM.sumRows(a, y);
      case COLS -> CommonOps_DDRM.sumCols(a, y);
      default -> {
        double s = CommonOps_DDRM.elementSum(a);
        y.data[0] = mean ? s / a.getNumElements() : s;
      }
    }
  }

  @Override
  public void backward(DMatrixRMaj g, DMatrixRMaj y, Node[] x, DMatrixRMaj[] gx) {
    if (gx[0] == null) {
      return;
    }
    if (axis == ALL) {
      double v = mean ? g.data[0] / gx[0].getNumElements() : g.data[0];
      CommonOps_DDRM.add(gx[0], v);
    } else {
      Broadcast.apply(Broadcast.ADD, gx[0], g, gx[0]);
    }
  }

  @Override
  public String gradientFormula(int i) {
    return formula;
  }
}
