package dev.autodiff.benchmarks;

import dev.autodiff.benchmarks.Workload.Params;
import dev.autodiff.core.Node;
import dev.autodiff.core.Tape;
import org.ejml.data.DMatrixRMaj;

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
  private double j;

  RerunStep(DMatrixRMaj x, DMatrixRMaj y, Params params, double eta) {
    this.params = params;
    this.eta = eta;
    int layers = params.layers();
    tape = new Tape();
    W = new Node[layers];
    b = new Node[layers];
    J = EngineStep.record(tape, x, y, params, EngineStep.names("W", layers),
        EngineStep.names("b", layers), W, b);
  }

  @Override
  public void step() {
    if (!recorded) {
      tape.forward();
    }
    recorded = false;
    j = J.value().data[0];
    EngineStep.update(params, eta, tape.backward(J), W, b);
  }

  @Override
  public double J() {
    return j;
  }

  @Override
  public Params params() {
    return params;
  }
}
