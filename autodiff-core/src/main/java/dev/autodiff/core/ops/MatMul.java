package dev.autodiff.core.ops;

import dev.autodiff.core.Node;
import dev.autodiff.core.Shapes;
import org.ejml.data.DMatrixRMaj;

/** Matrix products: y = a·b, and y = a·bᵀ for batched layers (X Wᵀ) without copying Wᵀ. */
public abstract class MatMul extends FreshGradient.Claiming {

  /** y = a·b;  a ← g·bᵀ ;  b ← aᵀ·g. */
  public static final MatMul AB = new MatMul() {
    @Override
    public String name() {
      return "matmul";
    }

    @Override
    public DMatrixRMaj forward(Node... x) {
      Ops.arity(this, x, 2);
      Node a = x[0];
      Node b = x[1];
      if (a.cols() != b.rows()) {
        throw new IllegalArgumentException("matmul: cannot multiply " + Shapes.describe(a)
            + " by " + Shapes.describe(b) + ": inner dimensions " + a.cols() + " and " + b.rows()
            + " differ");
      }
      return Ops.value(this, x, a.rows(), b.cols());
    }

    @Override
    public void recompute(Node[] x, DMatrixRMaj y) {
      Gemm.mult(x[0].value(), x[1].value(), y);
    }

    @Override
    public void backward(DMatrixRMaj g, DMatrixRMaj y, Node[] x, DMatrixRMaj gx0,
        DMatrixRMaj gx1) {
      if (gx0 != null) {
        into(false, true, g, x[1].value(), gx0);
      }
      if (gx1 != null) {
        into(true, false, x[0].value(), g, gx1);
      }
    }

    @Override
    public String gradientFormula(int i) {
      return i == 0 ? "{g}·{1}ᵀ" : "{0}ᵀ·{g}";
    }
  };

  /** y = a·bᵀ;  a ← g·b ;  b ← gᵀ·a. */
  public static final MatMul ABT = new MatMul() {
    @Override
    public String name() {
      return "matmulTransB";
    }

    @Override
    public DMatrixRMaj forward(Node... x) {
      Ops.arity(this, x, 2);
      Node a = x[0];
      Node b = x[1];
      if (a.cols() != b.cols()) {
        throw new IllegalArgumentException("matmulTransB: cannot multiply " + Shapes.describe(a)
            + " by the transpose of " + Shapes.describe(b) + ": inner dimensions " + a.cols()
            + " and " + b.cols() + " differ");
      }
      return Ops.value(this, x, a.rows(), b.rows());
    }

    @Override
    public void recompute(Node[] x, DMatrixRMaj y) {
      Gemm.multTransB(x[0].value(), x[1].value(), y);
    }

    @Override
    public void backward(DMatrixRMaj g, DMatrixRMaj y, Node[] x, DMatrixRMaj gx0,
        DMatrixRMaj gx1) {
      if (gx0 != null) {
        into(false, false, g, x[1].value(), gx0);
      }
      if (gx1 != null) {
        into(true, false, g, x[0].value(), gx1);
      }
    }

    @Override
    public String gradientFormula(int i) {
      return i == 0 ? "{g}·{1}" : "{g}ᵀ·{0}";
    }
  };

  private MatMul() {}

  /**
   * gx += op(a)·op(b) as one product: written over a fresh buffer, and a deferred s·P (the
   * penalty's s·W) folded in as BLAS's β·C, so the weight gradient is written once.
   */
  private static void into(boolean ta, boolean tb, DMatrixRMaj a, DMatrixRMaj b,
      DMatrixRMaj gx) {
    DMatrixRMaj p = FreshGradient.deferred(gx);
    if (p != null) {
      Gemm.product(ta, tb, a, b, FreshGradient.fold(gx), p, gx);
    } else if (FreshGradient.claim(gx)) {
      Gemm.product(ta, tb, a, b, 0, null, gx);
    } else {
      Gemm.product(ta, tb, a, b, 1, gx, gx);
    }
  }
}
