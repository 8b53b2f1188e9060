package dev.autodiff.core;

import dev.autodiff.core.kernels.Reductions;
import org.ejml.data.DMatrixRMaj;

/**
 * y = 1 at the first max (or min) of each row (or column) of x, 0 elsewhere: where the gradient
 * of maxRows and its kin goes;  x ← 0 (constant almost everywhere).
 */
final class ExtremeMask extends Unary {
  private final boolean rows;
  private final boolean max;

  ExtremeMask(boolean rows, boolean max) {
    super("is" + (max ? "Max" : "Min") + "Of" + (rows ? "Row" : "Col"), null);
    this.rows = rows;
    this.max = max;
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    Reductions.extremeMask(x[0], rows, max, y);
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    return null;
  }

  @Override
  public String gradientFormula(int i) {
    return "0";
  }
}
