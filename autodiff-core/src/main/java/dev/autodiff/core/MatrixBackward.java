package dev.autodiff.core;

import org.ejml.data.DMatrixRMaj;

/**
 * The contribution to input i of an op whose gradient is matrix code ({@link Op#backward}), as a
 * node of its own: its inputs are g, y and y's inputs, and it cannot be differentiated again.
 */
final class MatrixBackward implements Op {
  private final Op op;
  private final int input;

  MatrixBackward(Op op, int input) {
    this.op = op;
    this.input = input;
  }

  @Override
  public String name() {
    return "∂" + op.name() + "/∂x" + input;
  }

  /** in = g, y, then y's inputs. */
  @Override
  public DMatrixRMaj forward(Node... in) {
    Node y = in[1];
    Node[] x = new Node[in.length - 2];
    System.arraycopy(in, 2, x, 0, x.length);
    DMatrixRMaj[] gx = new DMatrixRMaj[x.length];
    DMatrixRMaj out = new DMatrixRMaj(x[input].rows(), x[input].cols());
    gx[input] = out;
    op.backward(in[0].value(), y.value(), x, gx);
    if (out.numRows != x[input].rows() || out.numCols != x[input].cols()) {
      throw new IllegalStateException(op.name() + ": backward reshaped the gradient of "
          + Shapes.describe(x[input]) + " to " + Shapes.of(out.numRows, out.numCols));
    }
    return out;
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    throw new UnsupportedOperationException(op.name() + " is differentiable once: its gradient is"
        + " matrix code (Op.backward); write Op.vjp with Node operations to differentiate it again");
  }

  @Override
  public String gradientFormula(int i) {
    return "{g}·∂²" + op.name();
  }
}
