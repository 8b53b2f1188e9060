package dev.autodiff.benchmarks;

import dev.autodiff.benchmarks.Workload.Params;
import dev.autodiff.core.Node;
import dev.autodiff.core.Tape;
import org.ejml.data.DMatrixRMaj;

/**
 * The step exactly as a user writes it with the public API: a new tape, J recorded on it,
 * {@code tape.backward(J)}, the update. No plan: every step records and allocates anew.
 */
final class EagerStep implements Step {
  private final Network network;
  private final double eta;
  /** Anomaly detection on the tape: off, as a user's loop has it, unless asked for. */
  private final boolean anomalies;
  private double j;

  EagerStep(DMatrixRMaj x, DMatrixRMaj y, Params params, double eta, boolean anomalies) {
    this.network = new Network(x, y, params, Network.Penalty.HALF_SQUARED_NORM);
    this.eta = eta;
    this.anomalies = anomalies;
  }

  @Override
  public void step() {
    Tape tape = new Tape();
    tape.detectAnomalies(anomalies);
    Node[] W = new Node[network.layers()];
    Node[] b = new Node[network.layers()];
    Node J = network.record(tape, W, b);
    j = J.scalar();
    network.update(eta, tape.backward(J), W, b);
  }

  @Override
  public double J() {
    return j;
  }

  @Override
  public Params params() {
    return network.params();
  }
}
