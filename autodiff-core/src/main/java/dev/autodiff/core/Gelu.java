package dev.autodiff.core;

import org.apache.commons.numbers.gamma.Erf;
import org.ejml.data.DMatrixRMaj;

/**
 * y = x·Φ(x) with the normal distribution function Φ(x) = ½(1 + erf(x/√2)), the erf form;
 * x ← g ⊙ (Φ(x) + x·φ(x)), φ the normal density.
 */
final class Gelu extends Unary {
  static final Gelu INSTANCE = new Gelu();

  private Gelu() {
    super("gelu", null);
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    double[] a = x[0].data;
    double[] b = y.data;
    for (int k = 0, n = y.getNumElements(); k < n; k++) {
      b[k] = a[k] * 0.5 * (1 + Erf.value(a[k] / Math.sqrt(2)));
    }
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    Node x = y.input(0);
    Node cdf = x.scale(1 / Math.sqrt(2)).erf().add(1).scale(0.5);
    Node pdf = x.square().scale(-0.5).exp().scale(1 / Math.sqrt(2 * Math.PI));
    return g.mul(cdf.add(x.mul(pdf)));
  }

  @Override
  public String gradientFormula(int i) {
    return "{g} ⊙ (Φ({0}) + {0}φ({0}))";
  }
}
