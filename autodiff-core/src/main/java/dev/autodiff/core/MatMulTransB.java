package dev.autodiff.core;

import dev.autodiff.core.kernels.Gemm;
import org.ejml.data.DMatrixRMaj;

/** y = a·bᵀ (the batched layer X Wᵀ);  a ← g·b ;  b ← gᵀ·a. */
final class MatMulTransB extends Primitive {
  static final MatMulTransB INSTANCE = new MatMulTransB();

  private MatMulTransB() {
    super("matmulTransB", 2, "{0}·{1}ᵀ");
  }

  @Override
  protected Shape shape(Node[] x) {
    Node a = x[0];
    Node b = x[1];
    if (a.cols() != b.cols()) {
      throw new IllegalArgumentException("matmulTransB: cannot multiply " + Shapes.describe(a)
          + " by the transpose of " + Shapes.describe(b) + ": inner dimensions " + a.cols()
          + " and " + b.cols() + " differ");
    }
    return new Shape(a.rows(), b.rows());
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    Gemm.multTransB(x[0], x[1], y);
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    return i == 0 ? g.matmul(y.input(1)) : g.matmulTransA(y.input(0));
  }

  @Override
  public String gradientFormula(int i) {
    return i == 0 ? "{g}·{1}" : "{g}ᵀ·{0}";
  }
}
