package dev.autodiff.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.ejml.data.DMatrixRMaj;

/**
 * Derivatives of functions written with {@link Node} operations, each evaluated on a tape of its
 * own: gradients, Hessian-vector products, Jacobian-vector products and Jacobians, as JAX's
 * {@code grad}, {@code jvp} and {@code jacrev} do. The higher ones differentiate a recorded
 * backward pass ({@link Tape#grad}), so they work for every built-in op and every custom op whose
 * gradient is written with {@code Node} operations. Inputs are Not modified.
 */
public final class Derivatives {
  private Derivatives() {}

  /** ∇f(x) for a scalar (1×1) f. */
  public static DMatrixRMaj gradient(Function<Node, Node> f, DMatrixRMaj x) {
    return gradient(v -> f.apply(v.get(0)), List.of(x)).get(0);
  }

  /** ∇f with respect to each input, for a scalar f of several inputs. */
  public static List<DMatrixRMaj> gradient(Function<List<Node>, Node> f, List<DMatrixRMaj> x) {
    Tape tape = new Tape();
    List<Node> vars = variables(tape, x);
    Node J = scalar("gradient", f.apply(vars));
    Gradients g = tape.backward(J);
    return values(vars, v -> g.has(v) ? g.get(v) : zeros(v));
  }

  /**
   * H(x)·v = ∇ₓ(∇f(x) · v) for a scalar f: the Hessian times a direction, without forming the
   * Hessian, at the cost of a few gradients.
   */
  public static DMatrixRMaj hvp(Function<Node, Node> f, DMatrixRMaj x, DMatrixRMaj v) {
    return hvp(u -> f.apply(u.get(0)), List.of(x), List.of(v)).get(0);
  }

  /**
   * H(x)·v for a scalar f of several inputs, with the Hessian of all of them and one direction per
   * input: ∇ₓ Σᵢ ⟨∂f/∂xᵢ, vᵢ⟩.
   */
  public static List<DMatrixRMaj> hvp(Function<List<Node>, Node> f, List<DMatrixRMaj> x,
      List<DMatrixRMaj> v) {
    if (x.size() != v.size()) {
      throw new IllegalArgumentException(String.format(
          "hvp: %s inputs but %s directions", x.size(), v.size()));
    }
    Tape tape = new Tape();
    List<Node> vars = variables(tape, x);
    Node J = scalar("hvp", f.apply(vars));
    List<Node> g = tape.grad(J, vars.toArray(new Node[0]));
    Node dot = null;
    for (int i = 0; i < g.size(); i++) {
      DMatrixRMaj d = checkShape("hvp: direction " + i, v.get(i), x.get(i));
      Node term = g.get(i).mul(tape.constant("v" + i, d)).sum();
      dot = dot == null ? term : dot.add(term);
    }
    Gradients h = tape.backward(dot);
    return values(vars, u -> h.has(u) ? h.get(u) : zeros(u));
  }

  /**
   * J(x)·v, the derivative of f at x in the direction v (forward mode), for f of any shape: made
   * from two reverse passes, as the derivative in u of the linear map u ↦ J(x)ᵀu.
   */
  public static DMatrixRMaj jvp(Function<Node, Node> f, DMatrixRMaj x, DMatrixRMaj v) {
    checkShape("jvp: the direction", v, x);
    Tape tape = new Tape();
    Node X = tape.variable("x", x.copy());
    Node y = f.apply(X);
    Node u = tape.variable("u", new DMatrixRMaj(y.rows(), y.cols()));
    Node vjp = tape.grad(y, u, List.of(X)).get(0);
    return tape.backward(vjp, v).get(u).copy();
  }

  /**
   * The Jacobian of f at x: row i holds ∂yᵢ/∂x for the i-th entry of y = f(x), both read row by row,
   * so the result is (size of y)×(size of x). One reverse pass per entry of y: for small outputs.
   */
  public static DMatrixRMaj jacobian(Function<Node, Node> f, DMatrixRMaj x) {
    Tape tape = new Tape();
    Node X = tape.variable("x", x.copy());
    Node y = f.apply(X);
    int m = y.rows() * y.cols();
    int n = x.getNumElements();
    DMatrixRMaj jac = new DMatrixRMaj(m, n);
    DMatrixRMaj seed = new DMatrixRMaj(y.rows(), y.cols());
    for (int i = 0; i < m; i++) {
      seed.zero();
      seed.data[i] = 1;
      Gradients g = tape.backward(y, seed);
      if (g.has(X)) {
        System.arraycopy(g.get(X).data, 0, jac.data, i * n, n);
      }
    }
    return jac;
  }

  private static List<Node> variables(Tape tape, List<DMatrixRMaj> x) {
    Objects.requireNonNull(x, "inputs");
    if (x.isEmpty()) {
      throw new IllegalArgumentException("no inputs");
    }
    List<Node> vars = new ArrayList<>();
    for (int i = 0; i < x.size(); i++) {
      vars.add(tape.variable("x" + i, x.get(i).copy()));
    }
    return vars;
  }

  private static Node scalar(String what, Node J) {
    Objects.requireNonNull(J, "f returned null");
    if (J.rows() != 1 || J.cols() != 1) {
      throw new IllegalArgumentException(what + " needs a scalar function, got "
          + Shapes.describe(J));
    }
    return J;
  }

  private static DMatrixRMaj checkShape(String what, DMatrixRMaj v, DMatrixRMaj x) {
    Shapes.requireShape(what, Objects.requireNonNull(v, what), x.numRows, x.numCols);
    return v;
  }

  private static DMatrixRMaj zeros(Node v) {
    return new DMatrixRMaj(v.rows(), v.cols());
  }

  private static List<DMatrixRMaj> values(List<Node> vars, Function<Node, DMatrixRMaj> f) {
    List<DMatrixRMaj> out = new ArrayList<>();
    for (Node v : vars) {
      out.add(f.apply(v).copy());
    }
    return out;
  }
}
