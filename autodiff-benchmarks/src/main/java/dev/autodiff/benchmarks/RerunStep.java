package dev.autodiff.benchmarks;

import dev.autodiff.benchmarks.Workload.Params;
import dev.autodiff.core.Gradients;
import dev.autodiff.core.Node;
import dev.autodiff.core.Tape;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The engine's step on one tape recorded once: each step re-runs it ({@code tape.forward()}) on the
 * weights updated in place, and backward reuses its buffers.
 */
final class RerunStep implements Step {
  private final Params params;
  private final double eta;
  private final Tape tape;
  private final Node J;
  private final Node[] W;
  private final Node[] b;
  private boolean recorded = true; // the first step uses the values recorded with the tape

  RerunStep(DMatrixRMaj x, DMatrixRMaj y, Params params, double eta) {
    this.params = params;
    this.eta = eta;
    int layers = params.layers();
    tape = new Tape();
    W = new Node[layers];
    b = new Node[layers];
    Node h = tape.constant("X", x);
    for (int k = 0; k < layers; k++) {
      W[k] = tape.variable("W" + (k + 1), params.w()[k]);
      b[k] = tape.variable("b" + (k + 1), params.b()[k]);
      Node z = h.matmulTransB(W[k]).add(b[k]);
      h = k < layers - 1 ? z.relu() : z;
    }
    Node j = tape.constant("Y", y).sub(h).halfSquaredNorm();
    for (Node w : W) {
      j = j.add(w.halfSquaredNorm());
    }
    J = j;
  }

  @Override
  public void step() {
    if (!recorded) {
      tape.forward();
    }
    recorded = false;
    Gradients g = tape.backward(J);
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
