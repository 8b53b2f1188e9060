package dev.autodiff.core;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.ejml.data.DMatrixRMaj;

/**
 * Records every node in evaluation order; {@link #backward} walks the record in reverse.
 *
 * <p>Leaf values are used as given, not copied: do not modify a matrix while a tape that holds it is
 * in use (an optimizer updates parameters after backward). A tape may be used from any thread, one
 * thread at a time: using it from two threads at once throws {@link IllegalStateException}.
 */
public final class Tape implements AutoCloseable {
  /** What an op applied now makes: a recorded node, or (in a backward) a value or a recorded one. */
  enum Mode { FORWARD, BACKWARD_RECORDED, BACKWARD_VALUES }

  /** The record, in evaluation order: an array, since a step appends to it once per node. */
  private Node[] nodes = new Node[32];
  private int size;
  final SingleUser user = new SingleUser("tape");
  /** Null unless anomaly detection is on: then where each node was created. */
  Anomalies anomalies;
  Mode mode = Mode.FORWARD;
  /** In a backward that records nothing and starts from 1: that 1's node. */
  Node one;

  /**
   * Anomaly detection, off by default: when on, the first op whose forward value or backward
   * gradient holds a NaN or ±∞ throws an {@link AnomalyException} naming the op, its nodes and
   * where the node was created. Each node then records its creation stack trace, which is slow;
   * when off, the cost is one null check per op. Returns this tape.
   */
  public Tape detectAnomalies(boolean on) {
    anomalies = on ? (anomalies != null ? anomalies : new Anomalies()) : null;
    return this;
  }

  /** True when anomaly detection is on. */
  public boolean detectsAnomalies() {
    return anomalies != null;
  }

  /** A leaf with no gradient. The matrix is used as is. */
  public Node constant(String name, DMatrixRMaj value) {
    return leaf(Node.Kind.CONSTANT, Objects.requireNonNull(name, "name"), value);
  }

  /** An unnamed leaf with no gradient. */
  public Node constant(DMatrixRMaj value) {
    return leaf(Node.Kind.CONSTANT, null, value);
  }

  /** A 1×1 constant. */
  public Node scalar(double value) {
    return leaf(Node.Kind.CONSTANT, null, new DMatrixRMaj(1, 1, true, value));
  }

  /** A leaf that receives a gradient. The matrix is used as is. */
  public Node variable(String name, DMatrixRMaj value) {
    return leaf(Node.Kind.VARIABLE, Objects.requireNonNull(name, "name"), value);
  }

  private Node leaf(Node.Kind kind, String name, DMatrixRMaj value) {
    Objects.requireNonNull(value, "value");
    boolean entered = user.enter();
    try {
      if (value.getNumElements() == 0) {
        throw new IllegalArgumentException(kind.name().toLowerCase() + " "
            + (name != null ? name : "n" + size) + ": a leaf needs at least one entry, got "
            + Shapes.of(value.numRows, value.numCols));
      }
      Node n = record(kind, name, null, null, value, kind == Node.Kind.VARIABLE);
      if (anomalies != null) {
        anomalies.checkLeaf(n);
      }
      return n;
    } finally {
      user.exit(entered);
    }
  }

  /** Records op applied to the inputs: the way custom ops are used, and how every built-in is. */
  public Node apply(Op op, Node... x) {
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(x, "inputs");
    boolean entered = user.enter();
    try {
      boolean requiresGrad = false;
      for (int i = 0; i < x.length; i++) {
        if (x[i] == null) {
          throw new NullPointerException(op.name() + ": input " + i + " is null");
        }
        if (x[i].tape != this) {
          throw new IllegalArgumentException(op.name() + ": " + x[i].name()
              + " belongs to another tape; nodes of two tapes cannot be mixed");
        }
        requiresGrad |= x[i].requiresGrad;
      }
      if (mode == Mode.BACKWARD_VALUES) {
        Node same = Backward.shortcut(this, op, x);
        if (same != null) {
          return same;
        }
      }
      DMatrixRMaj y = op.forward(x);
      if (y == null || y.getNumElements() == 0) {
        throw new IllegalStateException(op.name() + ": forward returned "
            + (y == null ? "null" : "an empty " + Shapes.of(y.numRows, y.numCols) + " matrix"));
      }
      if (mode == Mode.BACKWARD_VALUES) {
        return new Node(this, -1, Node.Kind.OP, null, op, null, y, false);
      }
      Node n = record(Node.Kind.OP, null, op, x, y, requiresGrad);
      if (anomalies != null && mode == Mode.FORWARD) {
        anomalies.checkForward(n);
      }
      return n;
    } finally {
      user.exit(entered);
    }
  }

  private Node record(Node.Kind kind, String name, Op op, Node[] x, DMatrixRMaj y,
      boolean requiresGrad) {
    if (size == nodes.length) {
      nodes = Arrays.copyOf(nodes, 2 * size);
    }
    Node n = new Node(this, size, kind, name, op, x, y, requiresGrad);
    nodes[size++] = n;
    if (anomalies != null) {
      anomalies.created(n);
    }
    return n;
  }

  /** The nodes recorded so far, in evaluation order: a read-only view that does not grow. */
  public List<Node> nodes() {
    return Collections.unmodifiableList(Arrays.asList(nodes).subList(0, size));
  }

  /** The number of nodes recorded. */
  public int size() {
    return size;
  }

  /** ∂J/∂n for every node n on a path from a variable to J. J must be 1×1. */
  public Gradients backward(Node J) {
    requireScalar(J);
    return backward(J, new DMatrixRMaj(1, 1, true, 1.0));
  }

  /**
   * The backward pass from y with ∂J/∂y = seed, for a y that is not 1×1.
   *
   * @param seed shaped like y. Not modified.
   */
  public Gradients backward(Node y, DMatrixRMaj seed) {
    checkOwn(y);
    Objects.requireNonNull(seed, "seed");
    Shapes.requireShape("backward: the seed for " + y.name(), seed, y.rows, y.cols);
    boolean entered = user.enter();
    try {
      if (anomalies != null) {
        anomalies.checkSeed(y, seed);
      }
      return new Gradients(this, y, Backward.values(this, y, seed.copy()));
    } finally {
      user.exit(entered);
    }
  }

  /**
   * ∂J/∂x for each x in wrt, as nodes recorded on this tape: the backward pass records its graph,
   * so that the gradients can be differentiated again (a Hessian-vector product, a gradient
   * penalty). J must be 1×1. A wrt that J does not depend on gets a constant zero.
   */
  public List<Node> grad(Node J, Node... wrt) {
    requireScalar(J);
    return grad(J, null, List.of(Objects.requireNonNull(wrt, "wrt")));
  }

  /**
   * As {@link #grad(Node, Node...)} for a y of any shape, with ∂J/∂y = seed, a node shaped like y;
   * null for a 1×1 y means 1. The gradients are linear in the seed, and differentiable in it too.
   */
  public List<Node> grad(Node y, Node seed, List<Node> wrt) {
    return grad(y, seed, wrt, true);
  }

  /** As {@link #grad(Node, Node, List)}, with null for a wrt that y does not depend on. */
  List<Node> grad(Node y, Node seed, List<Node> wrt, boolean zeros) {
    checkOwn(y);
    for (Node w : Objects.requireNonNull(wrt, "wrt")) {
      checkOwn(w);
    }
    boolean entered = user.enter();
    try {
      if (seed == null) {
        requireScalar(y);
        seed = scalar(1).named("∂" + y.name() + "/∂" + y.name());
      } else if (seed.rows != y.rows || seed.cols != y.cols || seed.tape != this) {
        throw new IllegalArgumentException("grad: the seed for " + Shapes.describe(y)
            + " must be a node of its tape and shape, got " + Shapes.describe(seed));
      }
      List<Node> g = Backward.recorded(this, y, seed, wrt, zeros);
      return zeros ? List.copyOf(g) : Collections.unmodifiableList(g);
    } finally {
      user.exit(entered);
    }
  }

  /** The record's array, by id: entries past {@link #size} are empty. */
  Node[] record() {
    return nodes;
  }

  private void requireScalar(Node J) {
    checkOwn(J);
    if (J.rows != 1 || J.cols != 1) {
      throw new IllegalArgumentException("backward: " + Shapes.describe(J)
          + " is not 1×1; pass a seed gradient of its shape to backward(node, seed)");
    }
  }

  private void checkOwn(Node n) {
    Objects.requireNonNull(n, "node");
    if (n.tape != this) {
      throw new IllegalArgumentException("backward: " + n.name() + " belongs to another tape");
    }
  }

  /**
   * Has no effect: a tape holds no resources. Kept so that code closing tapes with
   * try-with-resources still compiles.
   */
  @Override
  public void close() {}
}
