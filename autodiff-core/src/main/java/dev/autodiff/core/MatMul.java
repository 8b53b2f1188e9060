package dev.autodiff.core;

import dev.autodiff.core.kernels.Gemm;
import org.ejml.data.DMatrixRMaj;

/** y = a·b;  a ← g·bᵀ ;  b ← aᵀ·g. */
final class MatMul extends Primitive {
  static final MatMul INSTANCE = new MatMul();

  private MatMul() {
    super("matmul", 2, "{0}·{1}");
  }

  @Override
  protected Shape shape(Node[] x) {
    Node a = x[0];
    Node b = x[1];
    if (a.cols() != b.rows()) {
      throw new IllegalArgumentException("matmul: cannot multiply " + Shapes.describe(a) + " by "
          + Shapes.describe(b) + ": inner dimensions " + a.cols() + " and " + b.rows() + " differ");
    }
    return new Shape(a.rows(), b.cols());
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    Gemm.mult(x[0], x[1], y);
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    return i == 0 ? g.matmulTransB(y.input(1)) : y.input(0).matmulTransA(g);
  }

  @Override
  public String gradientFormula(int i) {
    return i == 0 ? "{g}·{1}ᵀ" : "{0}ᵀ·{g}";
  }
}
