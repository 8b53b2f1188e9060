package dev.autodiff.core.ops;

import dev.autodiff.core.Node;
import dev.autodiff.core.Op;
import dev.autodiff.core.Shapes;
import org.ejml.data.DMatrixRMaj;

/** Matrix products: y = a·b, and y = a·bᵀ for batched layers (X Wᵀ) without copying Wᵀ. */
public abstract class MatMul implements Op {

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
    public void backward(DMatrixRMaj g, DMatrixRMaj y, Node[] x, DMatrixRMaj[] gx) {
      if (gx[0] != null) {
        if (FreshGradient.claim(gx[0])) {
          Gemm.multTransB(g, x[1].value(), gx[0]);
        } else {
          Gemm.multAddTransB(g, x[1].value(), gx[0]);
        }
      }
      if (gx[1] != null) {
        if (FreshGradient.claim(gx[1])) {
          Gemm.multTransA(x[0].value(), g, gx[1]);
        } else {
          Gemm.multAddTransA(x[0].value(), g, gx[1]);
        }
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
    public void backward(DMatrixRMaj g, DMatrixRMaj y, Node[] x, DMatrixRMaj[] gx) {
      if (gx[0] != null) {
        if (FreshGradient.claim(gx[0])) {
          Gemm.mult(g, x[1].value(), gx[0]);
        } else {
          Gemm.multAdd(g, x[1].value(), gx[0]);
        }
      }
      if (gx[1] != null) {
        if (FreshGradient.claim(gx[1])) {
          Gemm.multTransA(g, x[0].value(), gx[1]);
        } else {
          Gemm.multAddTransA(g, x[0].value(), gx[1]);
        }
      }
    }

    @Override
    public String gradientFormula(int i) {
      return i == 0 ? "{g}·{1}" : "{g}ᵀ·{0}";
    }
  };

  private MatMul() {}
}
