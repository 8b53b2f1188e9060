package dev.autodiff.core;

import java.util.Arrays;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The reverse pass: each op's vector-Jacobian products, from J back to the leaves, summed per node.
 * The ops only say what a contribution is; where it goes, written or added, is decided here.
 */
final class Backward {
  private Backward() {}

  /**
   * ∂J/∂n by node id, for every n on a path from a variable to root, as nodes that are not
   * recorded, or recorded ones whose values they equal (∂(½‖W‖²)/∂W is W).
   */
  static Node[] values(Tape tape, Node root, DMatrixRMaj seed) {
    Node s = value(tape, seed);
    Node[] g;
    tape.one = seed.getNumElements() == 1 && seed.data[0] == 1 ? s : null;
    try {
      g = run(tape, root, s, null, Tape.Mode.BACKWARD_VALUES);
    } finally {
      tape.one = null;
    }
    return g;
  }

  /**
   * In a backward that records nothing, what an op applied to x equals without computing it, or
   * null: x ⊙ 1 is x for the 1 the backward started from (every penalty's and loss's gradient
   * passes through it). The planner applies the same identity to a plan.
   */
  static Node shortcut(Tape tape, Op op, Node[] x) {
    if (op == Mul.INSTANCE && tape.one != null) {
      for (int k = 0; k < 2; k++) {
        if (x[1 - k] == tape.one) { // 1×1: the product has x[k]'s shape
          return x[k];
        }
      }
    }
    return null;
  }

  /**
   * ∂y/∂x for each x in wrt as nodes recorded on the tape; for an x that y does not depend on, a
   * constant zero, or null when zeros is false.
   */
  static List<Node> recorded(Tape tape, Node y, Node seed, List<Node> wrt, boolean zeros) {
    Node[] w = wrt.toArray(new Node[0]);
    Node[] g = run(tape, y, seed, w, Tape.Mode.BACKWARD_RECORDED);
    Node[] out = new Node[w.length];
    for (int i = 0; i < w.length; i++) {
      Node x = w[i];
      out[i] = x.id <= y.id && g[x.id] != null ? g[x.id]
          : zeros ? tape.constant(new DMatrixRMaj(x.rows, x.cols)) : null;
      // a sum this backward made gets the name a trace or a drawing shows for it, e.g. ∂J/∂W
      if (out[i] != null && out[i].id > y.id && out[i].op != null && !out[i].hasName()) {
        out[i].named("∂" + y.name() + "/∂" + x.name());
      }
    }
    return Arrays.asList(out);
  }

  /** c's vector-Jacobian product for its input i alone, with ∂J/∂c = g, as a value: a term. */
  static Node contribution(Tape tape, Node c, int i, DMatrixRMaj g) {
    boolean entered = tape.user.enter();
    tape.mode = Tape.Mode.BACKWARD_VALUES;
    try {
      return c.op.vjp(i, c, value(tape, g));
    } finally {
      tape.mode = Tape.Mode.FORWARD;
      tape.user.exit(entered);
    }
  }

  /** A node holding m that is not recorded: a seed for a backward that records no graph. */
  private static Node value(Tape tape, DMatrixRMaj m) {
    return new Node(tape, -1, Node.Kind.CONSTANT, null, null, null, m, false);
  }

  /**
   * ∂J/∂n by node id, for every n up to root on a path from a variable (from one of wrt, when
   * given) to root. Recorded, the contributions and their sums are nodes on the tape, so they can
   * be differentiated again; as values, they are not recorded.
   */
  private static Node[] run(Tape tape, Node root, Node seed, Node[] wrt, Tape.Mode mode) {
    Node[] nodes = tape.record();
    boolean recorded = mode == Tape.Mode.BACKWARD_RECORDED;
    boolean[] needed = needed(nodes, root, wrt);
    Node[] grad = new Node[root.id + 1];
    // a sum the engine made itself, which it may add to in place
    boolean[] owned = new boolean[root.id + 1];
    if (needed[root.id]) {
      grad[root.id] = seed;
    }
    tape.mode = mode;
    try {
      // reverse tape order is reverse topological order: all of n's consumers are done before n
      for (int i = root.id; i >= 0; i--) {
        Node g = grad[i];
        Node n = nodes[i];
        if (g != null && n.hook != null) { // every consumer is done: the gradient is final
          g = grad[i] = tape.apply(n.hook, g);
        }
        if (g == null || n.op == null) {
          continue;
        }
        Node last = null;
        for (int k = 0; k < n.inputs.length; k++) {
          Node x = n.inputs[k];
          if (!needed[x.id]) {
            continue;
          }
          Node c = n.op.vjp(k, n, g);
          if (c == null) {
            continue;
          }
          if (c.rows != x.rows || c.cols != x.cols) {
            throw new IllegalStateException(n.op.name() + ": the gradient of input " + k + ", "
                + Shapes.describe(x) + ", came back " + Shapes.of(c.rows, c.cols));
          }
          if (tape.anomalies != null) {
            tape.anomalies.checkBackward(n, k, c.value);
          }
          Node sum = grad[x.id];
          if (sum == null) {
            grad[x.id] = c; // the first contribution is the gradient as it is
            // a matrix a built-in just made for this product is the engine's to add to; g, a node
            // given for two inputs, or a custom op's matrix (it may be an input's) is not
            owned[x.id] = !recorded && c.id < 0 && c != g && c != last
                && c.op instanceof Primitive;
          } else if (recorded) {
            grad[x.id] = sum.add(c);
          } else if (owned[x.id]) {
            CommonOps_DDRM.addEquals(sum.value, c.value);
          } else if (c.id < 0 && c != g && c != last && c.op instanceof Primitive) {
            CommonOps_DDRM.addEquals(c.value, sum.value); // the new one is ours: add into it
            grad[x.id] = c;
            owned[x.id] = true;
          } else {
            DMatrixRMaj s = sum.value.copy();
            CommonOps_DDRM.addEquals(s, c.value);
            grad[x.id] = value(tape, s);
            owned[x.id] = true;
          }
          last = c;
        }
      }
      return grad;
    } finally {
      tape.mode = Tape.Mode.FORWARD;
    }
  }

  /** Whether node i can have a gradient: it depends on a variable (on one of wrt, when given). */
  private static boolean[] needed(Node[] nodes, Node root, Node[] wrt) {
    boolean[] needed = new boolean[root.id + 1];
    if (wrt == null) {
      for (int i = 0; i <= root.id; i++) {
        needed[i] = nodes[i].requiresGrad;
      }
      return needed;
    }
    for (Node w : wrt) {
      if (w.id <= root.id) {
        needed[w.id] = true;
      }
    }
    for (int i = 0; i <= root.id; i++) {
      Node n = nodes[i];
      for (int k = 0; !needed[i] && k < n.arity(); k++) {
        needed[i] = needed[n.inputs[k].id];
      }
    }
    return needed;
  }
}
