package dev.autodiff.nn;

import static com.google.common.base.Preconditions.checkArgument;

import dev.autodiff.core.Gradients;
import dev.autodiff.core.Node;
import java.util.IdentityHashMap;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;

/**
 * Updates parameters in place from the gradients of one backward pass. State (velocity, moments) is
 * kept per parameter, so one optimizer serves one model.
 */
public abstract class Optimizer {
  private final Map<Parameter, double[][]> state = new IdentityHashMap<>();
  /** The learning rate α; a schedule may change it between steps. */
  double alpha;

  Optimizer(double alpha) {
    this.alpha = checkRate(alpha);
  }

  public double learningRate() {
    return alpha;
  }

  /** Sets α for the following steps (a schedule); the state (velocity, moments) is kept. */
  public void learningRate(double alpha) {
    this.alpha = checkRate(alpha);
  }

  /** θ ← update(θ, ∂J/∂θ) for every bound parameter with a gradient. */
  public void step(Bindings bound, Gradients g) {
    beginStep();
    for (Map.Entry<Parameter, Node> e : bound.bound().entrySet()) {
      if (g.has(e.getValue())) {
        Parameter p = e.getKey();
        DMatrixRMaj theta = p.value();
        double[][] s = state.computeIfAbsent(p, k -> newState(theta.getNumElements()));
        update(theta.data, g.get(e.getValue()).data, s, theta.getNumElements());
      }
    }
  }

  /** Called once per step before any update (Adam counts steps). */
  void beginStep() {}

  /** Per-parameter state arrays, zero at the start. */
  abstract double[][] newState(int n);

  /** θ[k] ← …, for k &lt; n, from g[k] and the state. θ and state Modified; g Not modified. */
  abstract void update(double[] theta, double[] g, double[][] state, int n);

  static double checkRate(double alpha) {
    checkArgument(alpha > 0 && Double.isFinite(alpha),
        "the learning rate must be finite and > 0, got %s", alpha);
    return alpha;
  }

  /** θ ← θ − α ∇θJ (seeds 001, 003). */
  public static Optimizer sgd(double alpha) {
    return new Optimizer(alpha) {
      @Override
      double[][] newState(int n) {
        return new double[0][];
      }

      @Override
      void update(double[] theta, double[] g, double[][] state, int n) {
        for (int k = 0; k < n; k++) {
          theta[k] -= alpha * g[k];
        }
      }

      @Override
      public String toString() {
        return "SGD(α = " + alpha + ")";
      }
    };
  }

  /** v ← μ v + ∇θJ ;  θ ← θ − α v (PyTorch's form), with 0 ≤ μ &lt; 1. */
  public static Optimizer momentum(double alpha, double mu) {
    checkArgument(mu >= 0 && mu < 1, "momentum μ must be in [0, 1), got %s", mu);
    return new Optimizer(alpha) {
      @Override
      double[][] newState(int n) {
        return new double[][] {new double[n]};
      }

      @Override
      void update(double[] theta, double[] g, double[][] state, int n) {
        double[] v = state[0];
        for (int k = 0; k < n; k++) {
          v[k] = mu * v[k] + g[k];
          theta[k] -= alpha * v[k];
        }
      }

      @Override
      public String toString() {
        return "momentum(α = " + alpha + ", μ = " + mu + ")";
      }
    };
  }

  /** Adam with β₁ = 0.9, β₂ = 0.999, ε = 1e-8. */
  public static Optimizer adam(double alpha) {
    return adam(alpha, 0.9, 0.999, 1e-8);
  }

  /**
   * m ← β₁m + (1 − β₁)g ;  v ← β₂v + (1 − β₂)g² ;  θ ← θ − α m̂ / (√v̂ + ε), with the bias
   * corrections m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ) at step t.
   */
  public static Optimizer adam(double alpha, double beta1, double beta2, double epsilon) {
    checkArgument(beta1 >= 0 && beta1 < 1, "β₁ must be in [0, 1), got %s", beta1);
    checkArgument(beta2 >= 0 && beta2 < 1, "β₂ must be in [0, 1), got %s", beta2);
    checkArgument(epsilon > 0, "ε must be > 0, got %s", epsilon);
    return new Optimizer(alpha) {
      private int t;
      private double c1;
      private double c2;

      @Override
      void beginStep() {
        t++;
        c1 = 1 - Math.pow(beta1, t);
        c2 = 1 - Math.pow(beta2, t);
      }

      @Override
      double[][] newState(int n) {
        return new double[][] {new double[n], new double[n]};
      }

      @Override
      void update(double[] theta, double[] g, double[][] state, int n) {
        double[] m = state[0];
        double[] v = state[1];
        for (int k = 0; k < n; k++) {
          m[k] = beta1 * m[k] + (1 - beta1) * g[k];
          v[k] = beta2 * v[k] + (1 - beta2) * g[k] * g[k];
          theta[k] -= alpha * (m[k] / c1) / (Math.sqrt(v[k] / c2) + epsilon);
        }
      }

      @Override
      public String toString() {
        return "Adam(α = " + alpha + ", β₁ = " + beta1 + ", β₂ = " + beta2 + ")";
      }
    };
  }
}
