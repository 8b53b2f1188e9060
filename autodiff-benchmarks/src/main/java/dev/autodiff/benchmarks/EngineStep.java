package dev.autodiff.benchmarks;

import dev.autodiff.benchmarks.Workload.Params;
import dev.autodiff.core.Gradients;
import dev.autodiff.core.Node;
import dev.autodiff.core.Tape;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The step as a user writes it with the public API: a new tape, forward, backward, update, and the
 * tape closed (try-with-resources) so that the next step's takes its matrices, or left unclosed.
 */
final class EngineStep implements Step {
  private final DMatrixRMaj x;
  private final DMatrixRMaj y;
  private final Params params;
  private final double eta;
  /** Anomaly detection on the tape: off, as a user's loop has it, unless asked for. */
  private final boolean anomalies;
  private final boolean close;
  private final String[] wNames;
  private final String[] bNames;
  private double j;

  EngineStep(DMatrixRMaj x, DMatrixRMaj y, Params params, double eta, boolean close,
      boolean anomalies) {
    this.close = close;
    this.anomalies = anomalies;
    this.x = x;
    this.y = y;
    this.params = params;
    this.eta = eta;
    wNames = names("W", params.layers());
    bNames = names("b", params.layers());
  }

  /** W1, W2, …: made once, not formatted on every step. */
  static String[] names(String prefix, int layers) {
    String[] n = new String[layers];
    for (int k = 0; k < layers; k++) {
      n[k] = prefix + (k + 1);
    }
    return n;
  }

  @Override
  public void step() {
    if (!close) {
      step(new Tape());
      return;
    }
    try (Tape tape = new Tape()) {
      step(tape);
    }
  }

  private void step(Tape tape) {
    int layers = params.layers();
    tape.detectAnomalies(anomalies);
    Node[] W = new Node[layers];
    Node[] b = new Node[layers];
    Node J = record(tape, x, y, params, wNames, bNames, W, b);
    j = J.scalar();
    update(params, eta, tape.backward(J), W, b);
  }

  @Override
  public double J() {
    return j;
  }

  /** J of the workload's network on tape, with the weight and bias leaves put into W and b. */
  static Node record(Tape tape, DMatrixRMaj x, DMatrixRMaj y, Params params, String[] wNames,
      String[] bNames, Node[] W, Node[] b) {
    Node h = tape.constant("X", x);
    for (int k = 0; k < W.length; k++) {
      W[k] = tape.variable(wNames[k], params.w()[k]);
      b[k] = tape.variable(bNames[k], params.b()[k]);
      Node z = h.matmulTransB(W[k]).add(b[k]);
      h = k < W.length - 1 ? z.relu() : z;
    }
    Node J = tape.constant("Y", y).sub(h).halfSquaredNorm();
    for (Node w : W) {
      J = J.add(w.halfSquaredNorm());
    }
    return J;
  }

  /** θ ← θ − η ∂J/∂θ for every weight and bias, in place. */
  static void update(Params params, double eta, Gradients g, Node[] W, Node[] b) {
    for (int k = 0; k < W.length; k++) {
      CommonOps_DDRM.addEquals(params.w()[k], -eta, g.get(W[k]));
      CommonOps_DDRM.addEquals(params.b()[k], -eta, g.get(b[k]));
    }
  }

  @Override
  public Params params() {
    return params;
  }
}
