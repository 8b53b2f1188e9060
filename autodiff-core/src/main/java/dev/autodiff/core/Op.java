package dev.autodiff.core;

import org.ejml.data.DMatrixRMaj;

/**
 * One differentiable operation: its forward value and its vector-Jacobian product, side by side.
 * Record it with {@link Tape#apply(Op, Node...)} or {@link Node#apply}, exactly like a built-in.
 *
 * <p>Give the gradient in one of two ways:
 *
 * <ul>
 *   <li>{@link #vjp}: each input's contribution prod(∂J/∂y, ∂y/∂xᵢ) written with {@link Node}
 *       operations, as every built-in does. It is recorded like any other op, so the op is
 *       differentiable again (Hessian-vector products, gradient penalties) with no extra work.
 *   <li>{@link #backward}: the contributions as matrix code. The op is then differentiable once: a
 *       second-order request through it throws, naming it (PyTorch's {@code once_differentiable}).
 * </ul>
 *
 * Either way the engine, not the op, decides whether a contribution is written or added: a node
 * used several times gets the sum of its contributions.
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
   * prod(∂J/∂y, ∂y/∂xᵢ) for input i, written with {@link Node} operations on y (whose inputs are
   * {@code y.input(0)}, …) and g = ∂J/∂y: e.g. matmul's {@code g.matmulTransB(y.input(1))}. Return
   * null for a contribution that is always zero. The default runs {@link #backward} instead.
   *
   * @param i the input, 0 for the first
   * @param y the recorded output node
   * @param g ∂J/∂y, shaped like y
   * @return a node shaped like input i, or null
   */
  default Node vjp(int i, Node y, Node g) {
    Node[] in = new Node[y.arity() + 2];
    in[0] = g;
    in[1] = y;
    for (int k = 0; k < y.arity(); k++) {
      in[k + 2] = y.input(k);
    }
    return y.tape().apply(new MatrixBackward(this, i), in);
  }

  /**
   * The vector-Jacobian product as matrix code, for an op that does not write {@link #vjp}: for
   * every input i with {@code gx[i] != null}, adds prod(∂J/∂y, ∂y/∂xᵢ) into {@code gx[i]}. An op
   * written this way is differentiable once.
   *
   * @param g ∂J/∂y, shaped like y. Not modified.
   * @param y the forward value. Not modified.
   * @param x the inputs. Not modified.
   * @param gx zeros shaped like the inputs, to add to; null where no gradient is asked for.
   *     Modified.
   */
  default void backward(DMatrixRMaj g, DMatrixRMaj y, Node[] x, DMatrixRMaj[] gx) {
    throw new UnsupportedOperationException(name() + " has no gradient: implement vjp, or backward");
  }

  /**
   * The local step prod(∂J/∂y, ∂y/∂xᵢ) as a formula for traces, with {@code {g}} for ∂J/∂y,
   * {@code {y}} for the output and {@code {0}}, {@code {1}}, … for the inputs, e.g. matmul's
   * {@code "{g}·{1}ᵀ"}.
   */
  default String gradientFormula(int i) {
    return "{g}·∂" + name() + "/∂{" + i + "}";
  }

  /**
   * How a node made by this op is written in traces when its inputs are named, with {@code {0}},
   * {@code {1}}, … for them, e.g. {@code "{0}·{1}"}; null for {@code name({0}, …)}.
   */
  default String label() {
    return null;
  }
}
