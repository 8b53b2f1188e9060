package dev.autodiff.core;

import dev.autodiff.core.kernels.Broadcast;
import org.ejml.data.DMatrixRMaj;

/**
 * y = max(a, b) entry by entry, broadcasting;  a ← Σ↓(g ⊙ m) ;  b ← Σ↓(g ⊙ (1 − m)) with
 * m = [a &gt; b] + ½[a = b]: at a tie each side gets half, as in PyTorch.
 */
final class Maximum extends Broadcasting {
  static final Maximum INSTANCE = new Maximum();

  private Maximum() {
    super("max", null);
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    Broadcast.max(x[0], x[1], y);
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    Node x = y.input(i);
    // ½(1 + sign(a − b)) is 1 where a wins, ½ at a tie and 0 where b wins
    Node share = y.input(i).sub(y.input(1 - i)).sign().add(1).scale(0.5);
    return g.mul(share).sumTo(x.rows(), x.cols());
  }

  @Override
  public String gradientFormula(int i) {
    return i == 0 ? "{g} ⊙ [{0} ≥ {1}]" : "{g} ⊙ [{1} ≥ {0}]";
  }
}
