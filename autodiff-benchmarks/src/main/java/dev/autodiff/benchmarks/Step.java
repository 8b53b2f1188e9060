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

  /** The three ways of taking the step that the benchmarks compare. */
  enum Impl {
    /** The plain user loop: a new {@code Tape} per step, closed by try-with-resources. */
    ENGINE,
    /** The same loop without closing the tapes: every step allocates its matrices anew. */
    ENGINE_UNCLOSED,
    /** One tape recorded once and re-run each step ({@code Tape.forward()}), buffers reused. */
    ENGINE_RERUN,
    /** Hand-written backprop on preallocated buffers, products by EJML. */
    EJML,
    /** The same hand-written backprop, products by OpenBLAS's cblas_dgemm. */
    BLAS;

    /**
     * A step on the batch x (batch×in), y (batch×out): the matrices are read again at every step,
     * so a caller may refill them between steps. The params are trained in place.
     */
    public Step create(DMatrixRMaj x, DMatrixRMaj y, Params params, double eta) {
      return switch (this) {
        case ENGINE -> new EngineStep(x, y, params, eta, true, false);
        case ENGINE_UNCLOSED -> new EngineStep(x, y, params, eta, false, false);
        case ENGINE_RERUN -> new PlanStep(x, y, params, eta);
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
