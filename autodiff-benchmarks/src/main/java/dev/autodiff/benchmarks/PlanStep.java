package dev.autodiff.benchmarks;

import dev.autodiff.benchmarks.Workload.Params;
import dev.autodiff.core.Gradients;
import dev.autodiff.core.Node;
import dev.autodiff.core.Plan;
import dev.autodiff.core.Tape;
import java.util.List;
import org.ejml.data.DMatrixRMaj;

/**
 * The step on a compiled plan: J recorded once and compiled with respect to every weight and bias;
 * each step runs the plan on the weights the last update left in place, then updates them.
 */
final class PlanStep implements Step {
  private final Network network;
  private final double eta;
  private final Plan plan;
  private final Node J;
  private final Node[] W;
  private final Node[] b;
  private double j;

  PlanStep(DMatrixRMaj x, DMatrixRMaj y, Params params, double eta, Network.Penalty penalty) {
    this.network = new Network(x, y, params, penalty);
    this.eta = eta;
    W = new Node[network.layers()];
    b = new Node[network.layers()];
    J = network.record(new Tape(), W, b);
    plan = Plan.compile(J, Network.leaves(W, b), List.of());
  }

  @Override
  public void step() {
    Gradients g = plan.run();
    j = plan.value(J).data[0];
    network.update(eta, g, W, b);
  }

  @Override
  public double J() {
    return j;
  }

  @Override
  public Params params() {
    return network.params();
  }

  /** The instructions the plan runs, for a reader who wants to see what was fused. */
  @Override
  public String toString() {
    return plan.toString();
  }
}
