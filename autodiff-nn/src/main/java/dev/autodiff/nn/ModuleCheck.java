package dev.autodiff.nn;

import dev.autodiff.core.Node;
import dev.autodiff.core.check.GradientCheck;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;

/**
 * Checks a module's gradients against central differences, in a test of your own: with respect to
 * every weight and bias and to the input, of J = Σ R ⊙ forward(X) for a fixed random R (so every
 * output entry counts, each with its own weight), in training mode with the random inputs drawn
 * once.
 *
 * <pre>{@code
 * ModuleCheck.of(new MyLayer(4, 3, new Random(1))).check(X).assertPassed();
 * }</pre>
 */
public final class ModuleCheck {
  private final Module module;
  private GradientCheck checker = GradientCheck.defaults();
  private long seed = 1;
  private boolean constantInput;

  private ModuleCheck(Module module) {
    this.module = Objects.requireNonNull(module, "module");
  }

  /** A check of module's gradients with the default checker and seed 1. */
  public static ModuleCheck of(Module module) {
    return new ModuleCheck(module);
  }

  /** The checker to use (tolerances, step, sampling); default {@code GradientCheck.defaults()}. */
  public ModuleCheck using(GradientCheck checker) {
    this.checker = Objects.requireNonNull(checker, "checker");
    return this;
  }

  /** The seed of R; default 1. */
  public ModuleCheck seed(long seed) {
    this.seed = seed;
    return this;
  }

  /** Holds the input constant (ids, masks): only the weights and biases are checked. */
  public ModuleCheck constantInput() {
    this.constantInput = true;
    return this;
  }

  /** First order, at the input X (one example per row). X and the parameters Not modified. */
  public GradientCheck.Report check(DMatrixRMaj X) {
    return checker.checkNamed(v -> weighted(v, X), inputs(X));
  }

  /** Second order (a backward through the recorded backward), at X. Not modified. */
  public GradientCheck.Report checkSecondOrder(DMatrixRMaj X) {
    return checker.checkSecondOrderNamed(v -> weighted(v, X), inputs(X));
  }

  /** The input as "X" (unless constant) and each weight and bias by its path: the variables. */
  private Map<String, DMatrixRMaj> inputs(DMatrixRMaj X) {
    Map<String, DMatrixRMaj> in = new LinkedHashMap<>();
    if (!constantInput) {
      in.put("X", X);
    }
    module.namedParameters().forEach((path, p) -> {
      if (p.kind() != Parameter.Kind.STATISTIC) {
        in.put(path, p.value());
      }
    });
    return in;
  }

  /** Σ R ⊙ forward(X), each parameter bound to the checker's node of the same path. */
  private Node weighted(Map<String, Node> v, DMatrixRMaj x) {
    dev.autodiff.core.Tape tape = v.values().iterator().next().tape();
    Node X = constantInput ? tape.constant("X", x) : v.get("X");
    Map<Parameter, Node> byParameter = new java.util.IdentityHashMap<>();
    module.namedParameters().forEach((path, p) -> {
      Node n = v.get(path);
      byParameter.put(p, n != null ? n : X.tape().constant(path, p.value()));
    });
    Node y = module.forward(X, Bindings.using(X.tape(), byParameter::get));
    Random random = new Random(seed);
    DMatrixRMaj r = new DMatrixRMaj(y.rows(), y.cols());
    for (int k = 0; k < r.getNumElements(); k++) {
      r.data[k] = 2 * random.nextDouble() - 1;
    }
    return y.mul(X.tape().constant("R", r)).sum();
  }
}
