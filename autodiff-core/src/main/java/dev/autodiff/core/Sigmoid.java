package dev.autodiff.core;

import dev.autodiff.core.kernels.Stable;
import org.ejml.data.DMatrixRMaj;

/** y = σ(x) = 1/(1 + e^(−x)), finite for any x;  x ← g ⊙ y(1 − y). */
final class Sigmoid extends Unary {
  static final Sigmoid INSTANCE = new Sigmoid();

  private Sigmoid() {
    super("sigmoid", "σ({0})");
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    double[] a = x[0].data;
    double[] b = y.data;
    for (int k = 0, n = y.getNumElements(); k < n; k++) {
      b[k] = Stable.sigmoid(a[k]);
    }
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    return g.mul(y.mul(y.neg().add(1)));
  }

  @Override
  public String gradientFormula(int i) {
    return "{g} ⊙ {y}(1 − {y})";
  }
}
