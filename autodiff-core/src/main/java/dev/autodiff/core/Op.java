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
   * Vector-Jacobian product: for every input i with {@code gx[i] != null}, adds
   * prod(∂J/∂y, ∂y/∂x_i) into {@code gx[i]}. Always add, never assign: the same buffer may collect
   * contributions from several consumers, or twice from one op whose inputs are the same node.
   * (A built-in may write instead where {@link dev.autodiff.core.ops.FreshGradient#claim} says the
   * buffer is still the tape's fresh zeros.)
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
