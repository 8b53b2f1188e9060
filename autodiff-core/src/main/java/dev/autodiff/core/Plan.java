package dev.autodiff.core;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.ejml.data.DMatrixRMaj;

/**
 * A recorded graph compiled for running again and again: the forward pass, and the backward pass
 * to the variables asked for, as instructions on buffers allocated once. Each run reads the leaves'
 * matrices as they are then, so refill the data (X, Y) and update the parameters (W) in place
 * between runs; no leaf may change shape. A run allocates nothing.
 *
 * <pre>{@code
 * Plan plan = Plan.compile(J, W, b);          // J recorded once on a tape
 * for (int step = 0; step < steps; step++) {
 *   Gradients g = plan.run();                 // forward and backward on the current W, b, X, Y
 *   CommonOps_DDRM.addEquals(w, -eta, g.get(W));
 * }
 * }</pre>
 *
 * <p>The values it computes are those of the same graph recorded anew, bit for bit, and so are its
 * gradients except where a product adds a term as BLAS's β·C (a penalty's s·W): there they agree to
 * rounding. Its gradients and kept values are its buffers, rewritten by the next run: copy what you
 * keep. A node's gradient hooks ({@link Node#registerHook}) registered before compiling run at
 * every run. Like a tape, a plan may be used from any thread, one at a time.
 */
public final class Plan {
  private final Node root;
  private final Instruction[] forward;
  private final Instruction[] backward;
  /** The plan's leaves, to check before each run that their matrices kept their shapes. */
  private final Node[] leaves;
  private final Map<Node, DMatrixRMaj> kept = new IdentityHashMap<>();
  private final Gradients gradients;
  private final SingleUser user = new SingleUser("plan");
  /** Set by a forward that completed; a backward reads its values once. */
  private boolean forwardDone;
  /** Why the last forward failed, or null: no backward until a forward succeeds. */
  private RuntimeException failure;
  /** Whether every result is checked for NaN and ±∞, as J's tape did when compiled. */
  private final boolean detectAnomalies;

  private Plan(Node root, Planner p, Planner.Compiled c, Node[] wrt, Node[] keep) {
    this.root = root;
    this.detectAnomalies = root.tape.detectsAnomalies();
    this.forward = c.forward();
    this.backward = c.backward();
    List<Node> leaves = new ArrayList<>();
    for (Node n : p.copies.values()) {
      if (n.op == null) {
        leaves.add(n);
      }
    }
    this.leaves = leaves.toArray(new Node[0]);
    kept.put(root, c.buffers()[p.root.id]);
    for (Node k : keep) {
      kept.put(k, c.buffers()[p.copies.get(k).id]);
    }
    DMatrixRMaj[] grads = new DMatrixRMaj[root.id + 1];
    for (int i = 0; i < wrt.length; i++) {
      if (p.gradients[i] != null) {
        grads[wrt[i].id] = c.buffers()[p.gradients[i].id];
      }
    }
    this.gradients = new Gradients(root.tape, root, grads);
  }

  /** A plan for J (1×1) and its gradients with respect to wrt. */
  public static Plan compile(Node J, Node... wrt) {
    return compile(J, List.of(wrt), List.of());
  }

  /**
   * A plan for J (1×1) and its gradients with respect to wrt (often the variables), which also
   * keeps the values of the nodes in keep (L and s beside J = L + s) for {@link #value}. Nodes
   * of J's tape that J and keep do not depend on are left out.
   */
  public static Plan compile(Node J, List<Node> wrt, List<Node> keep) {
    Objects.requireNonNull(J, "J");
    if (J.rows != 1 || J.cols != 1) {
      throw new IllegalArgumentException("plan: " + Shapes.describe(J) + " is not 1×1");
    }
    Node[] w = wrt.toArray(new Node[0]);
    Node[] k = keep.toArray(new Node[0]);
    for (Node n : concat(w, k)) {
      Objects.requireNonNull(n, "node");
      if (n.tape != J.tape || n.id < 0) {
        throw new IllegalArgumentException("plan: " + n.name() + " is not a node of "
            + J.name() + "'s tape");
      }
    }
    Planner p = new Planner(J, w, k);
    return new Plan(J, p, p.compile(), w, k);
  }

  private static Node[] concat(Node[] a, Node[] b) {
    Node[] c = new Node[a.length + b.length];
    System.arraycopy(a, 0, c, 0, a.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  /** Forward, then backward: the gradients at the leaves' current values. */
  public Gradients run() {
    boolean entered = user.enter();
    try {
      forward();
      return backward();
    } finally {
      user.exit(entered);
    }
  }

  /**
   * Computes every value on the leaves' current matrices, checking domains as recording does.
   *
   * @throws IllegalStateException if a leaf's matrix changed shape, naming it and both shapes
   */
  public void forward() {
    boolean entered = user.enter();
    try {
      forwardDone = false;
      for (Node leaf : leaves) {
        if (leaf.value.numRows != leaf.rows || leaf.value.numCols != leaf.cols) {
          throw new IllegalStateException("plan: " + leaf.name() + " was recorded as "
              + Shapes.of(leaf.rows, leaf.cols) + " and is now "
              + Shapes.of(leaf.value.numRows, leaf.value.numCols) + "; a plan keeps every shape");
        }
      }
      failure = null;
      try {
        run(forward);
      } catch (RuntimeException e) {
        failure = e;
        throw e;
      }
      forwardDone = true;
    } finally {
      user.exit(entered);
    }
  }

  /**
   * The gradients at the values of the last {@link #forward}, once per forward: the backward
   * may write over values it no longer needs.
   *
   * @throws IllegalStateException when no forward completed since the last backward, saying why
   */
  public Gradients backward() {
    boolean entered = user.enter();
    try {
      if (!forwardDone) {
        throw new IllegalStateException(failure != null
            ? "plan: the last forward failed (" + failure.getMessage() + "); no backward until a"
                + " forward succeeds"
            : "plan: backward needs a forward first, one per backward");
      }
      forwardDone = false;
      run(backward);
      return gradients;
    } finally {
      user.exit(entered);
    }
  }

  private void run(Instruction[] instructions) {
    for (Instruction i : instructions) {
      i.run();
      if (detectAnomalies) {
        check(i);
      }
    }
  }

  /** Anomaly detection: the first result holding a NaN or ±∞ stops the run, named. */
  private static void check(Instruction i) {
    DMatrixRMaj m = i.out;
    for (int k = 0; k < m.getNumElements(); k++) {
      if (!Double.isFinite(m.data[k])) {
        throw new AnomalyException("anomaly: " + i.node.op.name() + " produced " + m.data[k]
            + " at (" + k / m.numCols + ", " + k % m.numCols + ") in the plan's " + i, i.node,
            null);
      }
    }
  }

  /** The value of J, or of a node kept at compile time, after the last forward. */
  public DMatrixRMaj value(Node n) {
    DMatrixRMaj v = kept.get(Objects.requireNonNull(n, "node"));
    if (v == null) {
      throw new IllegalArgumentException("plan: " + n.name() + " is not kept; name it in keep"
          + " when compiling");
    }
    return v;
  }

  /** The node the plan differentiates. */
  public Node root() {
    return root;
  }

  /** The instructions, one line each: what the rewrites made of the graph. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("plan for " + root.name() + ": " + forward.length
        + " forward and " + backward.length + " backward instructions\n");
    for (Instruction i : forward) {
      s.append("  ").append(i).append('\n');
    }
    s.append("  --\n");
    for (Instruction i : backward) {
      s.append("  ").append(i).append('\n');
    }
    return s.toString();
  }
}
