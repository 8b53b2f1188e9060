package dev.autodiff.core;

import dev.autodiff.core.kernels.Broadcast;
import org.ejml.data.DMatrixRMaj;

/**
 * y = a ⊘ b where b ≠ 0, and 0 where b = 0 (TensorFlow's divide_no_nan), broadcasting: the
 * derivatives that are 0 by convention where they would divide by 0 (√x and ‖x‖ at 0);
 * a ← Σ↓(g ⊘ b) ;  b ← −Σ↓(g ⊙ y ⊘ b), each 0 where b = 0.
 */
final class DivNoNan extends Broadcasting {
  static final DivNoNan INSTANCE = new DivNoNan();

  private DivNoNan() {
    super("divNoNan", "{0} ⊘ {1}");
  }

  /** b = 0 is a pole that the convention cuts to 0: the derivative in b jumps there. */
  @Override
  public double[] kinks(int i) {
    return i == 1 ? new double[] {0} : super.kinks(i);
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    Broadcast.divNoNan(x[0], x[1], y);
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    Node a = y.input(0);
    Node b = y.input(1);
    return i == 0 ? g.divNoNan(b).sumTo(a.rows(), a.cols())
        : g.mul(y).divNoNan(b).sumTo(b.rows(), b.cols()).neg();
  }

  @Override
  public String gradientFormula(int i) {
    return i == 0 ? "{g} ⊘ {1}" : "−{g} ⊙ {y} ⊘ {1}";
  }
}
