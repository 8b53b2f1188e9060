package dev.autodiff.core;

import dev.autodiff.core.kernels.Broadcast;
import org.ejml.data.DMatrixRMaj;

/** y = a ⊙ b, broadcasting;  a ← Σ↓(g ⊙ b) ;  b ← Σ↓(g ⊙ a). */
final class Mul extends Broadcasting {
  static final Mul INSTANCE = new Mul();

  private Mul() {
    super("mul", "{0} ⊙ {1}");
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    Broadcast.mul(x[0], x[1], y);
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    Node x = y.input(i);
    return g.mul(y.input(1 - i)).sumTo(x.rows(), x.cols());
  }

  @Override
  public String gradientFormula(int i) {
    return i == 0 ? "{g} ⊙ {1}" : "{g} ⊙ {0}";
  }
}
