package dev.autodiff.benchmarks;

import dev.autodiff.benchmarks.Workload.Params;
import dev.autodiff.core.Gradients;
import dev.autodiff.core.Node;
import dev.autodiff.core.Tape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The step benchmarks' objective J = ½‖Y − V‖²_F + ½Σₖ‖Wₖ‖²_F on a batch X, Y and the params,
 * recorded with the engine's public API as a user writes it, the penalty spelt one of two ways. The
 * matrices are used as they are, so a recording reads whatever they hold when it runs.
 */
final class Network {
  /** How ½‖W‖²_F is written: the one node, or as the formula reads. */
  enum Penalty {
    /** {@code W.halfSquaredNorm()}. */
    HALF_SQUARED_NORM,
    /** {@code W.frobeniusNorm().square().scale(0.5)}. */
    LITERAL;

    Node of(Node w) {
      return this == HALF_SQUARED_NORM ? w.halfSquaredNorm()
          : w.frobeniusNorm().square().scale(0.5);
    }
  }

  private final DMatrixRMaj x;
  private final DMatrixRMaj y;
  private final Params params;
  private final Penalty penalty;
  /** W1, W2, …: made once, not formatted on every step. */
  private final String[] wNames;
  private final String[] bNames;

  Network(DMatrixRMaj x, DMatrixRMaj y, Params params, Penalty penalty) {
    this.x = x;
    this.y = y;
    this.params = params;
    this.penalty = penalty;
    wNames = names("W", params.layers());
    bNames = names("b", params.layers());
  }

  private static String[] names(String prefix, int layers) {
    String[] n = new String[layers];
    for (int k = 0; k < layers; k++) {
      n[k] = prefix + (k + 1);
    }
    return n;
  }

  int layers() {
    return params.layers();
  }

  Params params() {
    return params;
  }

  /**
   * Records J on tape and puts the weight and bias leaves into W and b. Hidden layers are
   * relu(H Wᵀ ⊕ b), the output layer H Wᵀ ⊕ b.
   */
  Node record(Tape tape, Node[] W, Node[] b) {
    Node h = tape.constant("X", x);
    for (int k = 0; k < W.length; k++) {
      W[k] = tape.variable(wNames[k], params.w()[k]);
      b[k] = tape.variable(bNames[k], params.b()[k]);
      Node z = h.matmulTransB(W[k]).add(b[k]);
      h = k < W.length - 1 ? z.relu() : z;
    }
    Node J = tape.constant("Y", y).sub(h).halfSquaredNorm();
    for (Node w : W) {
      J = J.add(penalty.of(w));
    }
    return J;
  }

  /** The weights, then the biases: what the gradients are taken with respect to. */
  static List<Node> leaves(Node[] W, Node[] b) {
    List<Node> all = new ArrayList<>(Arrays.asList(W));
    all.addAll(Arrays.asList(b));
    return all;
  }

  /** θ ← θ − η ∂J/∂θ for every weight and bias, in place. */
  void update(double eta, Gradients g, Node[] W, Node[] b) {
    for (int k = 0; k < W.length; k++) {
      CommonOps_DDRM.addEquals(params.w()[k], -eta, g.get(W[k]));
      CommonOps_DDRM.addEquals(params.b()[k], -eta, g.get(b[k]));
    }
  }
}
