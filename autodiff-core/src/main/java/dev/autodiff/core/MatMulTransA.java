package dev.autodiff.core;

import dev.autodiff.core.kernels.Gemm;
import org.ejml.data.DMatrixRMaj;

/** y = aᵀ·b (a weight gradient δᵀ H);  a ← b·gᵀ ;  b ← a·g. */
final class MatMulTransA extends Primitive {
  static final MatMulTransA INSTANCE = new MatMulTransA();

  private MatMulTransA() {
    super("matmulTransA", 2, "{0}ᵀ·{1}");
  }

  @Override
  protected Shape shape(Node[] x) {
    Node a = x[0];
    Node b = x[1];
    if (a.rows() != b.rows()) {
      throw new IllegalArgumentException("matmulTransA: cannot multiply the transpose of "
          + Shapes.describe(a) + " by " + Shapes.describe(b) + ": inner dimensions " + a.rows()
          + " and " + b.rows() + " differ");
    }
    return new Shape(a.cols(), b.cols());
  }

  @Override
  public void compute(DMatrixRMaj[] x, DMatrixRMaj y) {
    Gemm.multTransA(x[0], x[1], y);
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    return i == 0 ? y.input(1).matmulTransB(g) : y.input(0).matmul(g);
  }

  @Override
  public String gradientFormula(int i) {
    return i == 0 ? "{1}·{g}ᵀ" : "{0}·{g}";
  }
}
