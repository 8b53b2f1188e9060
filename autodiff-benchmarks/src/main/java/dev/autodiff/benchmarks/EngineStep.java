package dev.autodiff.benchmarks;

import dev.autodiff.benchmarks.Workload.Params;
import dev.autodiff.core.Gradients;
import dev.autodiff.core.Node;
import dev.autodiff.core.Tape;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/** The step as a user writes it with the public API: a new tape, forward, backward, update. */
final class EngineStep implements Step {
  private final DMatrixRMaj x;
  private final DMatrixRMaj y;
  private final Params params;
  private final double eta;
  /** Anomaly detection on the tape: off, as a user's loop has it, unless asked for. */
  private final boolean anomalies;
  private final String[] wNames;
  private final String[] bNames;

  EngineStep(DMatrixRMaj x, DMatrixRMaj y, Params params, double eta) {
    this(x, y, params, eta, false);
  }

  EngineStep(DMatrixRMaj x, DMatrixRMaj y, Params params, double eta, boolean anomalies) {
    this.anomalies = anomalies;
    this.x = x;
    this.y = y;
    this.params = params;
    this.eta = eta;
    int layers = params.layers();
    wNames = new String[layers];
    bNames = new String[layers];
    for (int k = 0; k < layers; k++) {
      wNames[k] = "W" + (k + 1);
      bNames[k] = "b" + (k + 1);
    }
  }

  @Override
  public void step() {
    int layers = params.layers();
    Tape tape = new Tape();
    if (anomalies) {
      tape.detectAnomalies(true);
    }
    Node[] W = new Node[layers];
    Node[] b = new Node[layers];
    Node h = tape.constant("X", x);
    for (int k = 0; k < layers; k++) {
      W[k] = tape.variable(wNames[k], params.w()[k]);
      b[k] = tape.variable(bNames[k], params.b()[k]);
      Node z = h.matmulTransB(W[k]).add(b[k]);
      h = k < layers - 1 ? z.relu() : z;
    }
    Node J = tape.constant("Y", y).sub(h).halfSquaredNorm();
    for (Node w : W) {
      J = J.add(w.halfSquaredNorm());
    }
    Gradients g = tape.backward(J);
    for (int k = 0; k < layers; k++) {
      CommonOps_DDRM.addEquals(params.w()[k], -eta, g.get(W[k]));
      CommonOps_DDRM.addEquals(params.b()[k], -eta, g.get(b[k]));
    }
  }

  @Override
  public Params params() {
    return params;
  }
}
