package dev.autodiff.core;

import dev.autodiff.core.kernels.Broadcast;
import org.ejml.data.DMatrixRMaj;

/**
 * y = min(a, b) entry by entry, broadcasting;  a ← Σ↓(g ⊙ m) ;  b ← Σ↓(g ⊙ (1 − m)) with
 * m = [a &lt; b] + ½[a = b]: at a tie each side gets half, as in PyTorch.
 */
final class Minimum extends Broadcasting {
  static final Minimum INSTANCE = new Minimum();

  private Minimum() {
    super("min", null);
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    Broadcast.min(x[0], x[1], y);
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    Node x = y.input(i);
    // ½(1 + sign(b − a)) is 1 where a is smaller, ½ at a tie and 0 where b is
    Node share = y.input(1 - i).sub(y.input(i)).sign().add(1).scale(0.5);
    return g.mul(share).sumTo(x.rows(), x.cols());
  }

  @Override
  public String gradientFormula(int i) {
    return i == 0 ? "{g} ⊙ [{0} ≤ {1}]" : "{g} ⊙ [{1} ≤ {0}]";
  }
}
