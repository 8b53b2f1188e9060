package dev.autodiff.core;

import java.util.ArrayList;
import org.ejml.data.DMatrixRMaj;

/** What anomaly detection keeps and checks: each node's creation site, every value and gradient. */
final class Anomalies {
  /** The creation stack trace of node i at index i; null for nodes made while detection was off. */
  private final ArrayList<Throwable> creations = new ArrayList<>();

  void created(Node n) {
    while (creations.size() < n.id) {
      creations.add(null);
    }
    creations.add(new Creation(n));
  }

  /** The stack trace of a node's creation; its message names the node as it is named now. */
  private static final class Creation extends Throwable {
    private final transient Node node;

    Creation(Node node) {
      this.node = node;
    }

    @Override
    public String getMessage() {
      return node.name() + " was created here";
    }
  }

  void checkLeaf(Node n) {
    int k = firstNonFinite(n.value);
    if (k >= 0) {
      throw anomaly(n, n.kind.name().toLowerCase() + " " + Shapes.describe(n) + " has "
          + entry(n.value, k));
    }
  }

  void checkForward(Node n) {
    int k = firstNonFinite(n.value);
    if (k >= 0) {
      throw anomaly(n, n.op.name() + " produced " + entry(n.value, k) + " in " + equation(n));
    }
  }

  void checkSeed(Node y, DMatrixRMaj seed) {
    int k = firstNonFinite(seed);
    if (k >= 0) {
      throw anomaly(y, "the seed gradient for " + Shapes.describe(y) + " has " + entry(seed, k));
    }
  }

  /**
   * Called after each vector-Jacobian product: earlier ones were clean, so a bad entry is this
   * one's.
   */
  void checkBackward(Node n, int i, DMatrixRMaj gx) {
    int k = firstNonFinite(gx);
    if (k >= 0) {
      throw anomaly(n, "the backward of " + n.op.name() + " produced " + entry(gx, k)
          + " in the gradient of " + Shapes.describe(n.inputs[i]) + ", input " + i + " of "
          + equation(n));
    }
  }

  private AnomalyException anomaly(Node n, String what) {
    Throwable creation = n.id >= 0 && n.id < creations.size() ? creations.get(n.id) : null;
    String where = creation == null ? "created while anomaly detection was off"
        : "created at " + callSite(creation);
    return new AnomalyException("anomaly: " + what + "; " + n.name() + " was " + where, n,
        creation);
  }

  /** "n4 (2×1) = mul(a (2×1), n3 (2×1))". */
  private static String equation(Node n) {
    StringBuilder s = new StringBuilder(Shapes.describe(n)).append(" = ").append(n.op.name())
        .append('(');
    for (int i = 0; i < n.inputs.length; i++) {
      s.append(i > 0 ? ", " : "").append(Shapes.describe(n.inputs[i]));
    }
    return s.append(')').toString();
  }

  /** The first frame outside the recording machinery: the caller's line that made the node. */
  private static String callSite(Throwable creation) {
    for (StackTraceElement e : creation.getStackTrace()) {
      String c = e.getClassName();
      if (!c.equals(Anomalies.class.getName()) && !c.equals(Tape.class.getName())
          && !c.equals(Node.class.getName()) && !c.equals(NodeOperations.class.getName())
          && !c.equals(Primitive.class.getName())) {
        return e.toString();
      }
    }
    return "an unknown place";
  }

  private static String entry(DMatrixRMaj m, int k) {
    return m.data[k] + " at (" + k / m.numCols + ", " + k % m.numCols + ")";
  }

  private static int firstNonFinite(DMatrixRMaj m) {
    for (int k = 0; k < m.getNumElements(); k++) {
      if (!Double.isFinite(m.data[k])) {
        return k;
      }
    }
    return -1;
  }
}
