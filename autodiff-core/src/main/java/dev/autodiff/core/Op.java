package dev.autodiff.core;

import org.ejml.data.DMatrixRMaj;

/**
 * One differentiable operation: its forward value and its local gradient, side by side.
 *
 * <p>Built-in ops live in {@code dev.autodiff.core.ops}; a custom op implements this interface and is
 * recorded with {@link Tape#apply(Op, Node...)} exactly like a built-in one.
 */
public interface Op {

  /** The op's name in error messages and traces, e.g. {@code "matmul"}. */
  String name();

  /**
   * y = f(x). Checks the input shapes first and throws {@link IllegalArgumentException} naming this
   * op, the nodes and their shapes (see {@link Shapes}).
   *
   * @param x the inputs. Not modified.
   * @return a new matrix holding y
   */
  DMatrixRMaj forward(Node... x);

  /**
   * Recomputes y = f(x) into y, which has the shape {@link #forward} gave when the node was
   * recorded: how {@link Tape#forward()} re-runs a tape without allocating. Checks the input
   * values' domain as forward does. The default calls forward and copies; built-ins write in place.
   *
   * @param x the inputs, with their current values. Not modified.
   * @param y the node's value. Modified.
   */
  default void recompute(Node[] x, DMatrixRMaj y) {
    DMatrixRMaj v = forward(x);
    if (v.numRows != y.numRows || v.numCols != y.numCols) {
      throw new IllegalStateException(name() + ": recomputed a " + Shapes.of(v.numRows, v.numCols)
          + " value where " + Shapes.of(y.numRows, y.numCols) + " was recorded");
    }
    System.arraycopy(v.data, 0, y.data, 0, v.getNumElements());
  }

  /**
   * Vector-Jacobian product: for every input i with {@code gx[i] != null}, adds
   * prod(∂J/∂y, ∂y/∂x_i) into {@code gx[i]}. Always add, never assign: the same buffer may collect
   * contributions from several consumers, or twice from one op whose inputs are the same node.
   * (A built-in that is {@link dev.autodiff.core.ops.FreshGradient.Claiming} may instead write a
   * buffer the tape has just handed out, or defer its contribution; see that class.)
   *
   * @param g ∂J/∂y, shaped like y. Not modified.
   * @param y the forward value. Not modified.
   * @param x the inputs. Not modified.
   * @param gx the gradient accumulators, shaped like the inputs; null where no gradient is needed.
   *     Modified.
   */
  void backward(DMatrixRMaj g, DMatrixRMaj y, Node[] x, DMatrixRMaj[] gx);

  /**
   * The local step prod(∂J/∂y, ∂y/∂x_i) as a formula for traces, with {@code {g}} for ∂J/∂y,
   * {@code {y}} for the output and {@code {0}}, {@code {1}}, … for the inputs, e.g. matmul's
   * {@code "{g}·{1}ᵀ"}.
   */
  default String gradientFormula(int i) {
    return "{g}·∂" + name() + "/∂{" + i + "}";
  }
}
