package dev.autodiff.core;

import dev.autodiff.core.kernels.Broadcast;
import org.ejml.data.DMatrixRMaj;

/** y = a + b, broadcasting;  a ← Σ↓g ;  b ← Σ↓g (Σ↓: summed over the broadcast axes). */
final class Add extends Broadcasting {
  static final Add INSTANCE = new Add();

  private Add() {
    super("add", "{0} + {1}");
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    Broadcast.add(x[0], x[1], y);
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    Node x = y.input(i);
    return g.sumTo(x.rows(), x.cols());
  }

  @Override
  public String gradientFormula(int i) {
    return "{g}";
  }
}
