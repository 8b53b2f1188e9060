package dev.autodiff.core;

import dev.autodiff.core.kernels.Gemm;
import dev.autodiff.core.kernels.Stable;
import org.ejml.data.DMatrixRMaj;

/** One step of a {@link Plan}: computes one node's value into the plan's buffer for it. */
abstract class Instruction {
  /** The node computed, for its name in errors. */
  final Node node;
  /** Its buffer. Modified by {@link #run}. */
  final DMatrixRMaj out;
  /** What it computes, e.g. {@code h:8×5 = relu(X·W1ᵀ + b1)}, set by the planner. */
  String text;

  Instruction(Node node, DMatrixRMaj out) {
    this.node = node;
    this.out = out;
  }

  abstract void run();

  @Override
  public String toString() {
    return text;
  }

  /** A built-in's kernel on the plan's buffers, after the checks of its inputs' domains. */
  static final class Compute extends Instruction {
    private final Primitive op;
    private final DMatrixRMaj[] in;
    private final boolean checksDomains;

    Compute(Node node, DMatrixRMaj[] in, DMatrixRMaj out) {
      super(node, out);
      this.op = (Primitive) node.op;
      this.in = in;
      boolean checks = false;
      for (int i = 0; i < in.length; i++) {
        checks |= op.domain(i) != Domain.ANY;
      }
      this.checksDomains = checks;
    }

    @Override
    void run() {
      if (checksDomains) {
        op.checkDomains(node.inputs, in);
      }
      op.compute(in, out);
    }
  }

  /**
   * A custom op's forward on its input nodes, whose values are the plan's buffers, copied into its
   * own value, which is its buffer.
   */
  static final class Custom extends Instruction {
    Custom(Node node) {
      super(node, node.value);
    }

    @Override
    void run() {
      DMatrixRMaj y = node.op.forward(node.inputs);
      if (y == null || y.numRows != out.numRows || y.numCols != out.numCols) {
        throw new IllegalStateException(node.op.name() + ": forward returned "
            + (y == null ? "null" : Shapes.of(y.numRows, y.numCols)) + " where "
            + Shapes.of(out.numRows, out.numCols) + " was recorded");
      }
      System.arraycopy(y.data, 0, out.data, 0, out.getNumElements());
    }
  }

  /**
   * out = op(a)·op(b) + β·c: a product with the term it is added to passed to BLAS as β·C,
   * β = 1, or the value of a 1×1 node (a penalty's s in s·W), or 0 without c.
   */
  static final class Product extends Instruction {
    private final boolean transA;
    private final boolean transB;
    private final DMatrixRMaj a;
    private final DMatrixRMaj b;
    private final DMatrixRMaj c;
    private final DMatrixRMaj beta;

    Product(Node node, boolean transA, boolean transB, DMatrixRMaj a, DMatrixRMaj b,
        DMatrixRMaj c, DMatrixRMaj beta, DMatrixRMaj out) {
      super(node, out);
      this.transA = transA;
      this.transB = transB;
      this.a = a;
      this.b = b;
      this.c = c;
      this.beta = beta;
    }

    @Override
    void run() {
      double s = c == null ? 0 : beta == null ? 1 : beta.data[0];
      Gemm.product(transA, transB, a, b, s, c, out);
    }
  }

  /** out = f(m + b) for a bias b broadcast along m's rows and an activation f, in one pass. */
  static final class BiasActivation extends Instruction {
    static final int RELU = 0;
    static final int SIGMOID = 1;
    static final int TANH = 2;
    private final DMatrixRMaj m;
    private final DMatrixRMaj b;
    private final int activation;

    BiasActivation(Node node, DMatrixRMaj m, DMatrixRMaj b, int activation, DMatrixRMaj out) {
      super(node, out);
      this.m = m;
      this.b = b;
      this.activation = activation;
    }

    @Override
    void run() {
      double[] M = m.data;
      double[] B = b.data;
      double[] Y = out.data;
      int cols = out.numCols;
      int stride = b.numRows == 1 ? 0 : cols; // a row for every row, or a whole matrix
      for (int i = 0, rows = out.numRows; i < rows; i++) {
        int k = i * cols;
        int kb = i * stride;
        switch (activation) {
          case RELU -> {
            for (int j = 0; j < cols; j++) {
              Y[k + j] = Math.max(M[k + j] + B[kb + j], 0.0);
            }
          }
          case SIGMOID -> {
            for (int j = 0; j < cols; j++) {
              Y[k + j] = Stable.sigmoid(M[k + j] + B[kb + j]);
            }
          }
          default -> {
            for (int j = 0; j < cols; j++) {
              Y[k + j] = Math.tanh(M[k + j] + B[kb + j]);
            }
          }
        }
      }
    }
  }

  /**
   * A scatter-add into a buffer that only it writes: the rows its ids wrote last run are cleared,
   * then written again, so a run costs ids × width however many rows the buffer has.
   */
  static final class ScatterRows extends Instruction {
    private final ScatterAddRows op;
    private final DMatrixRMaj x;

    ScatterRows(Node node, ScatterAddRows op, DMatrixRMaj x, DMatrixRMaj out) {
      super(node, out);
      this.op = op;
      this.x = x;
    }

    @Override
    void run() {
      op.clear(out);
      op.addTo(x, out);
    }
  }
}
