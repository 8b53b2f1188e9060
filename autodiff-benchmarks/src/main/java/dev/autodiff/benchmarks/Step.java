package dev.autodiff.benchmarks;

import dev.autodiff.benchmarks.Workload.Params;
import org.ejml.data.DMatrixRMaj;

/**
 * One SGD step on J = ½‖Y − V‖²_F + ½Σₖ‖Wₖ‖²_F (the biases carry no penalty): forward, backward, and
 * W ← W − η ∂J/∂W for every weight and bias.
 */
public interface Step {
  /** Trains the params in place on the current contents of X and Y. */
  void step();

  /** J at the weights the last step started from: the step's forward value. */
  double J();

  /** The params being trained (modified by every step). */
  Params params();

  /** The ways of taking the step that the benchmarks compare. */
  enum Impl {
    /** The user's loop: a new {@code Tape} per step, {@code tape.backward(J)}, the update. */
    EAGER,
    /** J recorded once and compiled into a {@code Plan}; {@code plan.run()} each step. */
    PLAN,
    /** Hand-written backprop on preallocated buffers, products by EJML. */
    EJML,
    /** The same hand-written backprop, products by OpenBLAS's dgemm. */
    BLAS;

    /**
     * A step on the batch x (batch×in), y (batch×out): the matrices are read again at every step,
     * so a caller may refill them between steps. The params are trained in place.
     */
    public Step create(DMatrixRMaj x, DMatrixRMaj y, Params params, double eta) {
      return switch (this) {
        case EAGER -> new EagerStep(x, y, params, eta, false);
        case PLAN -> new PlanStep(x, y, params, eta, Network.Penalty.HALF_SQUARED_NORM);
        case EJML -> new HandStep(x, y, params, eta, Products.EJML);
        case BLAS -> new HandStep(x, y, params, eta, Products.BLAS);
      };
    }

    /** A step on a copy of the problem's initial params. */
    public Step create(Workload.Problem problem, double eta) {
      return create(problem.x(), problem.y(), problem.params().copy(), eta);
    }
  }
}
