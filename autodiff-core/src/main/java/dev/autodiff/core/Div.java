package dev.autodiff.core;

import dev.autodiff.core.kernels.Broadcast;
import org.ejml.data.DMatrixRMaj;

/** y = a ⊘ b, broadcasting, b ≠ 0;  a ← Σ↓(g ⊘ b) ;  b ← −Σ↓(g ⊙ y ⊘ b). */
final class Div extends Broadcasting {
  static final Div INSTANCE = new Div();

  private Div() {
    super("div", "{0} ⊘ {1}");
  }

  @Override
  public Domain domain(int i) {
    return i == 1 ? Domain.DIVISOR : Domain.ANY;
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    Broadcast.div(x[0], x[1], y);
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    Node a = y.input(0);
    Node b = y.input(1);
    return i == 0 ? g.div(b).sumTo(a.rows(), a.cols())
        : g.mul(y).div(b).sumTo(b.rows(), b.cols()).neg();
  }

  @Override
  public String gradientFormula(int i) {
    return i == 0 ? "{g} ⊘ {1}" : "−{g} ⊙ {y} ⊘ {1}";
  }
}
