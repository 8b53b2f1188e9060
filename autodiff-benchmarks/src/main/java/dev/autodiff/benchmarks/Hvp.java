package dev.autodiff.benchmarks;

import dev.autodiff.core.Gradients;
import dev.autodiff.core.Node;
import dev.autodiff.core.Plan;
import dev.autodiff.core.Tape;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;

/**
 * One gradient of J and one Hessian-vector product H·v on a workload's problem, each as a plan and
 * eagerly. H·v is the gradient of h = Σᵢ sum(∂J/∂θᵢ ⊙ vᵢ), the backward recorded on the tape by
 * {@code tape.grad} and differentiated again, over every weight and bias θᵢ with fixed seeded
 * directions vᵢ. Nothing is trained: every run is at the same weights.
 */
final class Hvp {
  private final Network network;
  /** vᵢ, shaped like θᵢ: the weights' directions, then the biases'. */
  private final DMatrixRMaj[] directions;
  private final List<Node> params;
  private final Plan gradient;
  private final Plan hvp;

  Hvp(Workload workload) {
    Workload.Problem problem = workload.problem(Workload.SEED);
    network = new Network(problem.x(), problem.y(), problem.params(),
        Network.Penalty.HALF_SQUARED_NORM);
    Tape tape = new Tape();
    Node[] W = new Node[network.layers()];
    Node[] b = new Node[network.layers()];
    Node J = network.record(tape, W, b);
    params = Network.leaves(W, b);
    Random random = new Random(Workload.SEED + 1);
    directions = new DMatrixRMaj[params.size()];
    for (int i = 0; i < directions.length; i++) {
      Node p = params.get(i);
      directions[i] = Workload.gaussian(p.rows(), p.cols(), 1.0, random);
    }
    gradient = Plan.compile(J, params, List.of());
    Node h = dot(tape, tape.grad(J, params.toArray(new Node[0])), directions);
    hvp = Plan.compile(h, params, List.of());
  }

  /** h = Σᵢ sum(gᵢ ⊙ vᵢ), the vᵢ constants on the tape. */
  private static Node dot(Tape tape, List<Node> g, DMatrixRMaj[] v) {
    Node h = null;
    for (int i = 0; i < v.length; i++) {
      Node term = g.get(i).mul(tape.constant(v[i])).sum();
      h = h == null ? term : h.add(term);
    }
    return h;
  }

  /** The weights and biases, read by every run: change them in place to move θ. */
  Workload.Params params() {
    return network.params();
  }

  DMatrixRMaj[] directions() {
    return directions;
  }

  /** ∇J by the gradient plan: its buffers, rewritten by the next run. */
  List<DMatrixRMaj> gradient() {
    return values(gradient.run(), params);
  }

  /** H·v by the HVP plan: its buffers, rewritten by the next run. */
  List<DMatrixRMaj> hvp() {
    return values(hvp.run(), params);
  }

  /** ∇J as the user's loop gets it: a new tape, J recorded, {@code tape.backward(J)}. */
  List<DMatrixRMaj> eagerGradient() {
    Tape tape = new Tape();
    Node[] W = new Node[network.layers()];
    Node[] b = new Node[network.layers()];
    Node J = network.record(tape, W, b);
    return values(tape.backward(J), Network.leaves(W, b));
  }

  /** H·v eagerly, as {@code Derivatives.hvp} does: on a new tape, record, grad, h, backward. */
  List<DMatrixRMaj> eagerHvp() {
    Tape tape = new Tape();
    Node[] W = new Node[network.layers()];
    Node[] b = new Node[network.layers()];
    Node J = network.record(tape, W, b);
    List<Node> p = Network.leaves(W, b);
    Node h = dot(tape, tape.grad(J, p.toArray(new Node[0])), directions);
    return values(tape.backward(h), p);
  }

  private static List<DMatrixRMaj> values(Gradients g, List<Node> params) {
    List<DMatrixRMaj> out = new ArrayList<>(params.size());
    for (Node p : params) {
      out.add(g.get(p));
    }
    return out;
  }
}
