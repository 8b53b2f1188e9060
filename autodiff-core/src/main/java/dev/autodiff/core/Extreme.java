package dev.autodiff.core;

import dev.autodiff.core.kernels.Reductions;
import org.ejml.data.DMatrixRMaj;

/**
 * y = the max or min of each row (m×1) or each column (1×n);  x ← g spread back to where each
 * extreme is: the first of tied entries takes it all, as PyTorch's max along a dimension does.
 */
final class Extreme extends AlongAxis {
  private final boolean max;

  Extreme(boolean rows, boolean max) {
    super(max ? "max" : "min", rows);
    this.max = max;
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    Reductions.extreme(x[0], rows, max, y);
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    Node x = y.input(0);
    return x.extremeMask(rows, max).mul(g); // g broadcast along each line
  }

  @Override
  public String gradientFormula(int i) {
    return "{g} ⊙ [{0} = {y}]";
  }
}
