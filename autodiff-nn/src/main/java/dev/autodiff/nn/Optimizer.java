package dev.autodiff.nn;

import dev.autodiff.core.Gradients;
import dev.autodiff.core.Node;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;

/**
 * Updates parameters in place from gradients of J. Its state — the step count t and, per parameter,
 * velocity or moments — is saved with the model by {@link ModelFile#save(Module, Optimizer,
 * java.nio.file.Path)}, so that training resumed from the file continues bit for bit. One optimizer
 * serves one model.
 *
 * <p>Weight decay in {@link #adamW} applies to weights only, as the penalty s does (PyTorch's AdamW
 * decays every parameter it is given).
 */
public abstract class Optimizer {
  private final Map<Parameter, double[][]> state = new IdentityHashMap<>();
  private final String kind;
  private final int arrays;
  /** The learning rate α; a schedule may change it between steps. */
  double alpha;
  /** Steps taken. */
  long t;

  Optimizer(String kind, int arrays, double alpha) {
    this.kind = kind;
    this.arrays = arrays;
    this.alpha = checkRate(alpha);
  }

  /** The learning rate α of the next step. */
  public double learningRate() {
    return alpha;
  }

  /** Sets α for the following steps (a schedule); the state (velocity, moments) is kept. */
  public void learningRate(double alpha) {
    this.alpha = checkRate(alpha);
  }

  /** The number of steps taken (Adam's t). */
  public long steps() {
    return t;
  }

  /**
   * θ ← update(θ, ∂J/∂θ) for every trainable parameter given: a gradient shaped like its
   * parameter. Gradients Not modified; parameters Modified.
   *
   * @throws IllegalArgumentException naming the parameter when a gradient's shape differs from
   *     its parameter's, before any update
   */
  public void step(Map<Parameter, ? extends DMatrixRMaj> gradients) {
    gradients.forEach((p, g) -> {
      if (g.numRows != p.rows() || g.numCols != p.cols()) {
        throw new IllegalArgumentException(this + ": the gradient of " + p + " is " + g.numRows
            + "×" + g.numCols);
      }
    });
    t++;
    beginStep();
    gradients.forEach((p, g) -> {
      if (p.isTrainable()) {
        DMatrixRMaj theta = p.value();
        double[][] s = state.computeIfAbsent(p, k -> newState(theta.getNumElements()));
        update(theta.data, g.data, s, theta.getNumElements(), p.isWeight());
      }
    });
  }

  /** θ ← update(θ, ∂J/∂θ) for every variable bound by {@code bound} that has a gradient in g. */
  public void step(Bindings bound, Gradients g) {
    Map<Parameter, DMatrixRMaj> gradients = new LinkedHashMap<>();
    for (Map.Entry<Parameter, Node> e : bound.variables().entrySet()) {
      if (g.has(e.getValue())) {
        gradients.put(e.getKey(), g.get(e.getValue()));
      }
    }
    step(gradients);
  }

  private double[][] newState(int n) {
    double[][] s = new double[arrays][];
    for (int i = 0; i < arrays; i++) {
      s[i] = new double[n];
    }
    return s;
  }

  /** Called once per step, after t is counted and before any update (Adam's bias corrections). */
  void beginStep() {}

  /**
   * θ[k] ← …, for k &lt; n, from g[k] and the state. θ and state Modified; g Not modified.
   * {@code weight} tells a weight from a bias (for decoupled weight decay).
   */
  abstract void update(double[] theta, double[] g, double[][] state, int n, boolean weight);

  /** The kind and its constants, e.g. "adam(β₁ = 0.9, β₂ = 0.999, ε = 1.0E-8)": saved in files. */
  public final String kind() {
    return kind;
  }

  /** The per-parameter state arrays (velocity, moments), or null before p's first update. */
  double[][] state(Parameter p) {
    return state.get(p);
  }

  /** The number of state arrays per parameter. */
  int stateArrays() {
    return arrays;
  }

  /** Restores the state saved in a file: steps, rate and per-parameter arrays. */
  void restore(long steps, double alpha, Map<Parameter, double[][]> arrays) {
    this.t = steps;
    this.alpha = checkRate(alpha);
    state.clear();
    arrays.forEach((p, a) -> state.put(p, a));
    if (t > 0) {
      beginStepAt(t);
    }
  }

  /** Recomputes what {@link #beginStep} derived from t (Adam's corrections); nothing by default. */
  void beginStepAt(long steps) {}

  @Override
  public String toString() {
    return kind.replaceFirst("\\(", "(α = " + alpha + (kind.endsWith("()") ? "" : ", "));
  }

  static double checkRate(double alpha) {
    if (!(alpha > 0 && Double.isFinite(alpha))) {
      throw new IllegalArgumentException("the learning rate must be finite and > 0, got " + alpha);
    }
    return alpha;
  }

  private static void checkFraction(String name, double v) {
    if (!(v >= 0 && v < 1)) {
      throw new IllegalArgumentException(name + " must be in [0, 1), got " + v);
    }
  }

  private static void checkPositive(String name, double v) {
    if (!(v > 0 && Double.isFinite(v))) {
      throw new IllegalArgumentException(name + " must be > 0, got " + v);
    }
  }

  /** θ ← θ − α ∇θJ (seeds 001, 003). */
  public static Optimizer sgd(double alpha) {
    return new Optimizer("SGD()", 0, alpha) {
      @Override
      void update(double[] theta, double[] g, double[][] state, int n, boolean weight) {
        for (int k = 0; k < n; k++) {
          theta[k] -= alpha * g[k];
        }
      }
    };
  }

  /** v ← μ v + ∇θJ ;  θ ← θ − α v (PyTorch's form), with 0 ≤ μ &lt; 1. */
  public static Optimizer momentum(double alpha, double mu) {
    checkFraction("momentum μ", mu);
    return new Optimizer("momentum(μ = " + mu + ")", 1, alpha) {
      @Override
      void update(double[] theta, double[] g, double[][] state, int n, boolean weight) {
        double[] v = state[0];
        for (int k = 0; k < n; k++) {
          v[k] = mu * v[k] + g[k];
          theta[k] -= alpha * v[k];
        }
      }
    };
  }

  /**
   * Nesterov momentum as PyTorch computes it: v ← μ v + ∇θJ ;  θ ← θ − α (∇θJ + μ v), with
   * 0 ≤ μ &lt; 1.
   */
  public static Optimizer nesterov(double alpha, double mu) {
    checkFraction("momentum μ", mu);
    return new Optimizer("nesterov(μ = " + mu + ")", 1, alpha) {
      @Override
      void update(double[] theta, double[] g, double[][] state, int n, boolean weight) {
        double[] v = state[0];
        for (int k = 0; k < n; k++) {
          v[k] = mu * v[k] + g[k];
          theta[k] -= alpha * (g[k] + mu * v[k]);
        }
      }
    };
  }

  /**
   * RMSprop: v ← ρ v + (1 − ρ) g² ;  θ ← θ − α g / (√v + ε) (PyTorch's form, ε outside the root),
   * with 0 ≤ ρ &lt; 1.
   */
  public static Optimizer rmsprop(double alpha, double rho, double epsilon) {
    checkFraction("ρ", rho);
    checkPositive("ε", epsilon);
    return new Optimizer("RMSprop(ρ = " + rho + ", ε = " + epsilon + ")", 1, alpha) {
      @Override
      void update(double[] theta, double[] g, double[][] state, int n, boolean weight) {
        double[] v = state[0];
        for (int k = 0; k < n; k++) {
          v[k] = rho * v[k] + (1 - rho) * g[k] * g[k];
          theta[k] -= alpha * g[k] / (Math.sqrt(v[k]) + epsilon);
        }
      }
    };
  }

  /** RMSprop with ρ = 0.99 and ε = 1e-8, PyTorch's defaults. */
  public static Optimizer rmsprop(double alpha) {
    return rmsprop(alpha, 0.99, 1e-8);
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
    return adamW(alpha, beta1, beta2, epsilon, 0);
  }

  /** AdamW with β₁ = 0.9, β₂ = 0.999, ε = 1e-8 and the given weight decay λ_w. */
  public static Optimizer adamW(double alpha, double weightDecay) {
    return adamW(alpha, 0.9, 0.999, 1e-8, weightDecay);
  }

  /**
   * Adam with decoupled weight decay (Loshchilov and Hutter): each weight first θ ← θ − α λ_w θ,
   * then Adam's update; biases are not decayed. λ_w = 0 is Adam.
   */
  public static Optimizer adamW(double alpha, double beta1, double beta2, double epsilon,
      double weightDecay) {
    checkFraction("β₁", beta1);
    checkFraction("β₂", beta2);
    checkPositive("ε", epsilon);
    if (!(weightDecay >= 0 && Double.isFinite(weightDecay))) {
      throw new IllegalArgumentException("the weight decay must be finite and >= 0, got "
          + weightDecay);
    }
    String kind = weightDecay == 0
        ? "Adam(β₁ = " + beta1 + ", β₂ = " + beta2 + ", ε = " + epsilon + ")"
        : "AdamW(β₁ = " + beta1 + ", β₂ = " + beta2 + ", ε = " + epsilon + ", λ_w = "
            + weightDecay + ")";
    return new Optimizer(kind, 2, alpha) {
      private double c1;
      private double c2;

      @Override
      void beginStep() {
        beginStepAt(t);
      }

      @Override
      void beginStepAt(long steps) {
        c1 = 1 - Math.pow(beta1, steps);
        c2 = 1 - Math.pow(beta2, steps);
      }

      @Override
      void update(double[] theta, double[] g, double[][] state, int n, boolean weight) {
        double[] m = state[0];
        double[] v = state[1];
        double decay = weight ? alpha * weightDecay : 0;
        for (int k = 0; k < n; k++) {
          theta[k] -= decay * theta[k];
          m[k] = beta1 * m[k] + (1 - beta1) * g[k];
          v[k] = beta2 * v[k] + (1 - beta2) * g[k] * g[k];
          theta[k] -= alpha * (m[k] / c1) / (Math.sqrt(v[k] / c2) + epsilon);
        }
      }
    };
  }
}
