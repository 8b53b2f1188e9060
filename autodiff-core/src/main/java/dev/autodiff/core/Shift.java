package dev.autodiff.core;

import org.ejml.data.DMatrixRMaj;

/** y = x + c for a finite constant c;  x ← g. */
final class Shift extends Unary {
  final double c;

  Shift(double c) {
    super("shift", null);
    if (!Double.isFinite(c)) {
      throw new IllegalArgumentException("add: the constant must be finite, got " + c);
    }
    this.c = c;
  }

  @Override
  public String name() {
    return "shift(" + c + ")";
  }

  @Override
  public String label() {
    return "{0} + " + c;
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    double[] a = x[0].data;
    double[] b = y.data;
    for (int k = 0, n = y.getNumElements(); k < n; k++) {
      b[k] = a[k] + c;
    }
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    return g;
  }

  @Override
  public String gradientFormula(int i) {
    return "{g}";
  }
}
