package dev.autodiff.benchmarks;

import dev.autodiff.benchmarks.Workload.Params;
import dev.autodiff.core.Gradients;
import dev.autodiff.core.Node;
import dev.autodiff.core.Plan;
import dev.autodiff.core.Tape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ejml.data.DMatrixRMaj;

/**
 * The engine's step as a compiled plan: the graph recorded once and compiled, then each step runs
 * the plan on the weights updated in place.
 */
final class PlanStep implements Step {
  private final Params params;
  private final double eta;
  private final Plan plan;
  private final Node J;
  private final Node[] W;
  private final Node[] b;
  private double j;

  PlanStep(DMatrixRMaj x, DMatrixRMaj y, Params params, double eta) {
    this.params = params;
    this.eta = eta;
    int layers = params.layers();
    Tape tape = new Tape();
    W = new Node[layers];
    b = new Node[layers];
    J = EngineStep.record(tape, x, y, params, EngineStep.names("W", layers),
        EngineStep.names("b", layers), W, b);
    List<Node> wrt = new ArrayList<>(Arrays.asList(W));
    wrt.addAll(Arrays.asList(b));
    plan = Plan.compile(J, wrt, List.of());
  }

  @Override
  public void step() {
    Gradients g = plan.run();
    j = plan.value(J).data[0];
    EngineStep.update(params, eta, g, W, b);
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
