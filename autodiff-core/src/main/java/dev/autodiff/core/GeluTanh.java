package dev.autodiff.core;

import org.ejml.data.DMatrixRMaj;

/**
 * y = ½x(1 + tanh u), u = √(2/π)(x + 0.044715x³): gelu's tanh approximation;
 * x ← g ⊙ (½(1 + tanh u) + ½x(1 − tanh²u)·√(2/π)(1 + 3·0.044715x²)).
 */
final class GeluTanh extends Unary {
  private static final double K = Math.sqrt(2 / Math.PI);
  private static final double C = 0.044715;
  static final GeluTanh INSTANCE = new GeluTanh();

  private GeluTanh() {
    super("geluTanh", null);
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    double[] a = x[0].data;
    double[] b = y.data;
    for (int k = 0, n = y.getNumElements(); k < n; k++) {
      b[k] = 0.5 * a[k] * (1 + Math.tanh(K * (a[k] + C * a[k] * a[k] * a[k])));
    }
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    Node x = y.input(0);
    Node t = x.square().mul(x).scale(C).add(x).scale(K).tanh();
    Node du = x.square().scale(3 * C).add(1).scale(K);
    return g.mul(t.add(1).scale(0.5).add(x.mul(t.square().neg().add(1)).mul(du).scale(0.5)));
  }

  @Override
  public String gradientFormula(int i) {
    return "{g} ⊙ gelu'({0})";
  }
}
