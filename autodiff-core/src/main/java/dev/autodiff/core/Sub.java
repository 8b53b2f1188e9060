package dev.autodiff.core;

import dev.autodiff.core.kernels.Broadcast;
import org.ejml.data.DMatrixRMaj;

/** y = a − b, broadcasting;  a ← Σ↓g ;  b ← −Σ↓g. */
final class Sub extends Broadcasting {
  static final Sub INSTANCE = new Sub();

  private Sub() {
    super("sub", "{0} − {1}");
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    Broadcast.sub(x[0], x[1], y);
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    Node x = y.input(i);
    Node summed = g.sumTo(x.rows(), x.cols());
    return i == 0 ? summed : summed.neg();
  }

  @Override
  public String gradientFormula(int i) {
    return i == 0 ? "{g}" : "−{g}";
  }
}
