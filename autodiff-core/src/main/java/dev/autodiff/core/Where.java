package dev.autodiff.core;

import dev.autodiff.core.kernels.Broadcast;
import org.ejml.data.DMatrixRMaj;

/**
 * y = m ⊙ a + (1 − m) ⊙ b for a constant mask m of 0s and 1s, broadcasting: a where m is 1, b
 * where it is 0;  m ← none ;  a ← Σ↓(g ⊙ m) ;  b ← Σ↓(g ⊙ (1 − m)).
 */
final class Where extends Primitive {
  static final Where INSTANCE = new Where();

  private Where() {
    super("where", 3, null);
  }

  @Override
  protected Shape shape(Node[] x) {
    if (x[0].requiresGrad()) {
      throw new IllegalArgumentException("where: the mask " + Shapes.describe(x[0])
          + " must be a constant: no gradient goes to it");
    }
    Shape ab = Shapes.broadcast(name(), x[1], x[2]);
    Node mask = x[0];
    if (mask.rows() != ab.rows() || mask.cols() != ab.cols()) {
      throw new IllegalArgumentException("where: the mask " + Shapes.describe(mask)
          + " must have the shape " + ab + " that " + x[1].name() + " and " + x[2].name()
          + " broadcast to");
    }
    return ab;
  }

  @Override
  public Domain domain(int i) {
    return i == 0 ? Domain.ZERO_OR_ONE : Domain.ANY;
  }

  @Override
  public boolean broadcasts() {
    return true;
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    Broadcast.where(x[0], x[1], x[2], y);
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    if (i == 0) {
      return null;
    }
    Node m = y.input(0);
    Node x = y.input(i);
    return g.mul(i == 1 ? m : m.neg().add(1)).sumTo(x.rows(), x.cols());
  }

  @Override
  public String gradientFormula(int i) {
    return i == 0 ? "0" : i == 1 ? "{g} ⊙ {0}" : "{g} ⊙ (1 − {0})";
  }
}
