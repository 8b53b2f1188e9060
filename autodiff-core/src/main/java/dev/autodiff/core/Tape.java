package dev.autodiff.core;

import static com.google.common.base.Preconditions.checkNotNull;

import dev.autodiff.core.ops.FreshGradient;
import java.lang.ref.SoftReference;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.ejml.data.DMatrixRMaj;

/**
 * Records every node in evaluation order; {@link #backward} replays the record in reverse.
 *
 * <p>A tape belongs to the thread that created it: recording from another thread throws. Independent
 * tapes on different threads are safe. Leaf values are used as given, not copied: do not modify a
 * matrix while a tape that holds it is in use (an optimizer updates parameters after backward).
 *
 * <p>Closing a tape, best with try-with-resources around one training step, hands the matrices it
 * made (op values and gradients) to the next tape recorded on the same thread, which takes those
 * of the shapes it needs instead of allocating new ones: a loop with a new tape per step then
 * allocates next to nothing. A closed tape's nodes and gradients throw when read; a matrix taken
 * from them earlier is no longer yours, so copy what you keep before closing.
 */
public final class Tape implements AutoCloseable {
  /**
   * Per thread: the matrices of the last tape closed on it, until a new tape takes them. Softly
   * held: on a thread that stopped recording, the collector frees them before it runs out of memory
   * (a 784-1024-1024-10 step leaves 38 MiB). Held strongly, a 2-3-2 step ran about 5 % faster.
   */
  private static final ThreadLocal<Holder> RECYCLED = ThreadLocal.withInitial(Holder::new);

  /** The record, in evaluation order: an array, since a step appends to it once per node. */
  private Node[] nodes = new Node[32]; // a small network's step fits
  private int size;
  private final Thread owner = Thread.currentThread();
  /**
   * Op values by node id: a closed tape's, taken on this tape's first allocation, or null. Each
   * matrix {@link #newValue} hands out is in its node's slot, taken from there or put there when
   * new, so that a node whose value is its slot's is known to hold one of the tape's own. Close
   * hands the array on: for the same graph it stores nothing, where each reference store into
   * this long-lived array costs G1 a memory fence.
   */
  private DMatrixRMaj[] recycled;
  private boolean tookRecycled;
  /**
   * The slot of {@link #recycled} whose matrix {@link #newValue} handed out last: a second request
   * for the node gets a new one, which takes the slot.
   */
  private int takenAt = -1;
  /** The last backward's gradient buffers, handed on by {@link #close}. */
  private DMatrixRMaj[] lastGrads;
  private boolean closed;
  /** Null unless anomaly detection is on: then where each node was created. */
  private Anomalies anomalies;
  /** Set by {@link #forward()}: backward then reuses {@link #spare}, the last one's buffers. */
  private boolean rerun;
  /** Gradient buffers the next backward may take, by node id: a re-run's or a closed tape's. */
  private DMatrixRMaj[] spare;

  /**
   * Anomaly detection, off by default: when on, the first op whose forward value or backward
   * gradient holds a NaN or ±∞ throws an {@link AnomalyException} naming the op, its nodes and
   * where the node was created. Each node then records its creation stack trace, which is slow;
   * when off, the cost is one null check per op. Returns this tape.
   */
  public Tape detectAnomalies(boolean on) {
    if (!on) {
      anomalies = null;
    } else if (anomalies == null) {
      anomalies = new Anomalies();
    }
    return this;
  }

  /** True when anomaly detection is on. */
  public boolean detectsAnomalies() {
    return anomalies != null;
  }

  /** A leaf with no gradient. The matrix is used as is. */
  public Node constant(String name, DMatrixRMaj value) {
    return leaf(Node.Kind.CONSTANT, checkNotNull(name, "name"), value);
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
    return leaf(Node.Kind.VARIABLE, checkNotNull(name, "name"), value);
  }

  private Node leaf(Node.Kind kind, String name, DMatrixRMaj value) {
    checkNotNull(value, "value");
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
  }

  /** Records op applied to the inputs: the way custom ops are used, and how every built-in is. */
  public Node apply(Op op, Node... x) {
    checkNotNull(op, "op");
    checkNotNull(x, "inputs");
    boolean requiresGrad = false;
    for (int i = 0; i < x.length; i++) {
      Node n = x[i];
      if (n == null) {
        throw new NullPointerException(op.name() + ": input " + i + " is null");
      }
      if (n.tape != this) {
        throw new IllegalArgumentException(op.name() + ": " + n.name()
            + " belongs to another tape; nodes of two tapes cannot be mixed");
      }
      requiresGrad |= n.requiresGrad;
    }
    // built-ins through their class: a virtual call, cheaper than an interface call that scans
    DMatrixRMaj y = op instanceof FreshGradient.Claiming c ? c.forward(x) : op.forward(x);
    if (y == null) {
      throw new IllegalStateException(op.name() + ": forward returned null");
    }
    if (y.getNumElements() == 0) {
      throw new IllegalStateException(op.name() + ": forward returned an empty "
          + Shapes.of(y.numRows, y.numCols) + " matrix");
    }
    Node n = record(Node.Kind.OP, null, op, x, y, requiresGrad);
    if (anomalies != null) {
      anomalies.checkForward(n);
    }
    return n;
  }

  private Node record(Node.Kind kind, String name, Op op, Node[] x, DMatrixRMaj y,
      boolean requiresGrad) {
    checkOpen();
    // the value came from newValue, which left it in the node's slot
    boolean pooled = op != null && takenAt == size && recycled[size] == y;
    if (size == nodes.length) {
      nodes = Arrays.copyOf(nodes, 2 * size);
    }
    Node n = new Node(this, size, kind, name, op, x, y, requiresGrad, pooled);
    nodes[size++] = n;
    if (anomalies != null) {
      anomalies.created(n);
    }
    return n;
  }

  /**
   * Runs the recorded ops again, in order, on the leaves' current values, writing every node's value
   * in place: the next step of a fixed graph without recording it anew or allocating. Refill the
   * constants (X, Y) and update the variables (W) in place first; no leaf may change shape. From
   * the first call on, each {@link #backward} reuses the previous one's gradient buffers, so a
   * {@link Gradients} of an earlier step changes: copy what you keep. Returns this tape.
   *
   * @throws IllegalStateException if a leaf's matrix changed shape, naming it and both shapes
   */
  public Tape forward() {
    checkOpen();
    for (int i = 0; i < size; i++) {
      Node n = nodes[i];
      if (n.op == null) {
        if (n.value.numRows != n.rows || n.value.numCols != n.cols) {
          throw new IllegalStateException("forward: " + n.name() + " was recorded as "
              + Shapes.of(n.rows, n.cols) + " and is now "
              + Shapes.of(n.value.numRows, n.value.numCols) + "; a re-run keeps every shape");
        }
        if (anomalies != null) {
          anomalies.checkLeaf(n);
        }
        continue;
      }
      n.op.recompute(n.inputs, n.value);
      if (anomalies != null) {
        anomalies.checkForward(n);
      }
    }
    rerun = true;
    return this;
  }

  /** The nodes recorded so far, in evaluation order: a read-only view that does not grow. */
  public List<Node> nodes() {
    return Collections.unmodifiableList(Arrays.asList(nodes).subList(0, size));
  }

  public int size() {
    return size;
  }

  /** ∂J/∂n for every node n on a path from a variable to J. J must be 1×1. */
  public Gradients backward(Node J) {
    checkOwn(J);
    if (J.rows() != 1 || J.cols() != 1) {
      throw new IllegalArgumentException("backward: " + Shapes.describe(J)
          + " is not 1×1; pass a seed gradient of its shape to backward(node, seed)");
    }
    return replay(J, new DMatrixRMaj(1, 1, true, 1.0));
  }

  /**
   * Reverse replay from y with ∂J/∂y = seed, for a y that is not 1×1.
   *
   * @param seed shaped like y. Not modified.
   */
  public Gradients backward(Node y, DMatrixRMaj seed) {
    checkOwn(y);
    checkNotNull(seed, "seed");
    if (seed.numRows != y.rows() || seed.numCols != y.cols()) {
      Shapes.requireShape("backward: the seed for " + y.name(), seed, y.rows(), y.cols());
    }
    if (anomalies != null) {
      anomalies.checkSeed(y, seed);
    }
    return replay(y, seed.copy());
  }

  /** The reverse replay from y with ∂J/∂y = seed, a matrix of the result's own. */
  private Gradients replay(Node y, DMatrixRMaj seed) {
    DMatrixRMaj[] grads = new DMatrixRMaj[y.id + 1];
    if (y.requiresGrad) {
      grads[y.id] = seed;
    }
    // reverse tape order is reverse topological order: every consumer is done before its inputs
    for (int i = y.id; i >= 0; i--) {
      DMatrixRMaj g = grads[i];
      if (g == null) {
        continue;
      }
      // all of n's consumers are done: a deferred s·P left on g (a leaf's s·W that no product
      // folded in) is written now
      FreshGradient.settle(g);
      Node n = nodes[i];
      if (n.op == null) {
        continue;
      }
      Node[] x = n.inputs;
      if (n.op instanceof FreshGradient.Claiming c && (x.length == 1 || x.length == 2)) {
        // a built-in: its buffers as arguments, and nothing to check after
        DMatrixRMaj g0 = gradient(grads, x[0]);
        DMatrixRMaj g1 = x.length == 2 ? gradient(grads, x[1]) : null;
        c.backward(g, n.value, x, g0, g1);
        if (anomalies != null) {
          check(n, x.length == 1 ? new DMatrixRMaj[] {g0} : new DMatrixRMaj[] {g0, g1});
        }
        continue;
      }
      DMatrixRMaj[] gx = new DMatrixRMaj[x.length];
      for (int k = 0; k < x.length; k++) {
        DMatrixRMaj gk = gradient(grads, x[k]);
        FreshGradient.settle(gk); // an op that only adds needs zeros to add to
        gx[k] = gk;
      }
      n.op.backward(g, n.value, x, gx);
      for (int k = 0; k < x.length; k++) {
        if (gx[k] != null && (gx[k].numRows != x[k].rows() || gx[k].numCols != x[k].cols())) {
          throw new IllegalStateException(n.op.name() + ": backward reshaped the gradient of "
              + Shapes.describe(x[k]) + " to " + Shapes.of(gx[k].numRows, gx[k].numCols));
        }
      }
      if (anomalies != null) {
        check(n, gx);
      }
    }
    if (rerun) {
      spare = grads.clone(); // the buffers; the result keeps its own array
    }
    lastGrads = grads;
    return new Gradients(this, y, grads);
  }

  /** n's gradient buffer, a fresh one on n's first use; null when n needs no gradient. */
  private DMatrixRMaj gradient(DMatrixRMaj[] grads, Node n) {
    if (!n.requiresGrad) {
      return null;
    }
    DMatrixRMaj g = grads[n.id];
    return g != null ? g : (grads[n.id] = buffer(n));
  }

  /** Anomaly detection on the gradients op n just wrote, settled to be read as written. */
  private void check(Node n, DMatrixRMaj[] gx) {
    for (DMatrixRMaj m : gx) {
      FreshGradient.settle(m);
    }
    anomalies.checkBackward(n, gx);
  }

  /**
   * A fresh gradient buffer for n: the last backward's after a re-run, a closed tape's of n's shape
   * at n's place, else a new one.
   */
  private DMatrixRMaj buffer(Node n) {
    takeRecycled();
    if (spare != null && n.id < spare.length && spare[n.id] instanceof FreshGradient f
        && f.numRows == n.rows && f.numCols == n.cols) {
      spare[n.id] = null;
      f.reset();
      return f;
    }
    return new FreshGradient(n.rows, n.cols);
  }

  /**
   * A rows×cols matrix for the value of the op being recorded: a closed tape's matrix of that shape
   * at the same place on its tape when there is one (holding its old numbers), else a new zero one.
   * Built-in ops take their values from here; a custom op's forward may too, if it writes every
   * entry and returns the matrix as its value.
   */
  public DMatrixRMaj newValue(int rows, int cols) {
    checkOpen();
    takeRecycled();
    int id = size;
    DMatrixRMaj[] r = recycled;
    DMatrixRMaj m = r != null && id < r.length && id != takenAt ? r[id] : null;
    if (m == null || m.numRows != rows || m.numCols != cols) {
      m = new DMatrixRMaj(rows, cols);
      if (r == null || id >= r.length) {
        int length = Math.max(nodes.length, 2 * id + 1);
        recycled = r = r != null ? Arrays.copyOf(r, length) : new DMatrixRMaj[length];
      }
      r[id] = m; // the slot holds the matrix handed out last, to be told from the op's own
    }
    takenAt = id;
    return m;
  }

  private void takeRecycled() {
    if (!tookRecycled) {
      tookRecycled = true;
      Recycled r = RECYCLED.get().ref.get();
      if (r != null) {
        recycled = r.values;
        if (spare == null) {
          spare = r.grads;
        }
        r.values = null;
        r.grads = null;
      }
    }
  }

  /**
   * Hands the values this tape's ops made and its last backward's gradients to the next tape
   * recorded on this thread. The tape's nodes and gradients then throw when read, and the matrices
   * they held may be overwritten by the next step. Only the thread that made the tape may close
   * it; closing again does nothing.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    checkThread();
    closed = true;
    // the array this tape took, refilled: a loop of one graph allocates none
    DMatrixRMaj[] values = recycled != null && recycled.length >= size ? recycled
        : new DMatrixRMaj[size];
    for (int i = 0; i < size; i++) {
      Node n = nodes[i];
      DMatrixRMaj v = n.pooled ? n.value : null;
      if (values[i] != v) { // a taken matrix is still in its slot
        values[i] = v;
      }
    }
    Arrays.fill(values, size, values.length, null);
    Holder h = RECYCLED.get();
    Recycled r = h.ref.get();
    if (r == null) {
      h.ref = new SoftReference<>(r = new Recycled());
    }
    r.values = values;
    r.grads = lastGrads;
    recycled = null;
    spare = null;
    lastGrads = null;
  }

  /** True once {@link #close} has been called. */
  public boolean isClosed() {
    return closed;
  }

  /** A thread's last closed tape's op values and gradient buffers, by node id; null when taken. */
  private static final class Recycled {
    DMatrixRMaj[] values;
    DMatrixRMaj[] grads;
  }

  /** Reused by every close on its thread: a loop's steps allocate no new reference. */
  private static final class Holder {
    SoftReference<Recycled> ref = new SoftReference<>(null);
  }

  private void checkOwn(Node n) {
    checkNotNull(n, "node");
    if (n.tape != this) {
      throw new IllegalArgumentException("backward: " + n.name() + " belongs to another tape");
    }
    checkOpen();
  }

  private void checkOpen() {
    checkThread();
    if (closed) {
      throw new IllegalStateException("this tape is closed: its matrices went to the next tape;"
          + " record a new one");
    }
  }

  /** Throws when n's tape is closed, naming n. */
  static void checkOpen(Node n) {
    if (n.tape.closed) {
      throw new IllegalStateException(n.name() + " belongs to a closed tape: its value and"
          + " gradient went to the next tape; copy what you keep before closing");
    }
  }

  private void checkThread() {
    if (Thread.currentThread() != owner) {
      throw new IllegalStateException("a Tape is confined to the thread that created it ("
          + owner.getName() + "); use one tape per thread");
    }
  }
}
