package dev.autodiff.core;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The reverse pass: each op's vector-Jacobian products, from J back to the leaves, summed per node.
 * The ops only say what a contribution is; where it goes, written or added, is decided here.
 */
final class Backward {
  private Backward() {}

  /**
   * ∂J/∂n by node id, for every n up to root on a path from a variable (from one of wrt, when
   * given) to root. With recordGraph the contributions and their sums are nodes on the tape, so
   * they can be differentiated again; without, they are values only.
   */
  static Node[] run(Node[] nodes, Node root, Node seed, Node[] wrt, boolean recordGraph,
      Anomalies anomalies) {
    boolean[] needed = needed(nodes, root, wrt);
    Node[] grad = new Node[root.id + 1];
    // a sum the engine made itself, which it may add to in place
    boolean[] owned = new boolean[root.id + 1];
    if (needed[root.id]) {
      grad[root.id] = seed;
    }
    // reverse tape order is reverse topological order: all of n's consumers are done before n
    for (int i = root.id; i >= 0; i--) {
      Node g = grad[i];
      Node n = nodes[i];
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
        if (anomalies != null) {
          anomalies.checkBackward(n, k, c.value);
        }
        Node sum = grad[x.id];
        if (sum == null) {
          grad[x.id] = c; // the first contribution is the gradient as it is
          // a matrix a built-in just made for this product is the engine's to add to; g, a node
          // given for two inputs, or a custom op's matrix (it may be an input's) is not
          owned[x.id] = !recordGraph && c.id < 0 && c != g && c != last
              && c.op instanceof Primitive;
        } else if (recordGraph) {
          grad[x.id] = sum.add(c);
        } else if (owned[x.id]) {
          CommonOps_DDRM.addEquals(sum.value, c.value);
        } else {
          DMatrixRMaj s = sum.value.copy();
          CommonOps_DDRM.addEquals(s, c.value);
          grad[x.id] = new Node(x.tape, -1, Node.Kind.OP, null, null, null, s, false);
          owned[x.id] = true;
        }
        last = c;
      }
    }
    return grad;
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
