package dev.autodiff.nn;

import dev.autodiff.core.Node;
import dev.autodiff.core.Tape;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.ejml.data.DMatrixRMaj;

/**
 * A differentiable function with named parameters, made of nodes: what {@link Trainer} trains,
 * every {@link Optimizer} steps and {@link ModelFile} saves. A subclass registers its parameters
 * and sub-modules in its constructor and writes {@link #forward} with {@code Node} operations:
 *
 * <pre>{@code
 * class Affine extends Module {
 *   final Parameter W = weight("W", new DMatrixRMaj(3, 4));
 *   final Parameter b = bias("b", new DMatrixRMaj(1, 3));
 *
 *   public Node forward(Node X, Bindings p) {
 *     return X.matmulTransB(p.apply(W)).add(p.apply(b));
 *   }
 * }
 * }</pre>
 *
 * <p>Inputs are batches with one example per row. Parameters are named by their path from the root
 * module, the names of sub-modules and parameter joined by '.', as in {@code encoder.0.W}.
 */
public abstract class Module {
  private final Map<String, Parameter> parameters = new LinkedHashMap<>();
  private final Map<String, Module> children = new LinkedHashMap<>();

  /**
   * The output for a batch: {@code input} one example per row, the parameters bound by {@code p}
   * (variables while training, constants for prediction; {@link Bindings#training} tells which).
   */
  public abstract Node forward(Node input, Bindings p);

  /**
   * What a loss "with logits" reads: the output before a final activation that the loss includes.
   * By default {@link #forward}; {@link Mlp} returns its last layer's pre-activation.
   */
  public Node logits(Node input, Bindings p) {
    return forward(input, p);
  }

  /** Registers a trained, penalised matrix; returns it. value is kept, not copied. */
  protected final Parameter weight(String name, DMatrixRMaj value) {
    return register(new Parameter(name, value, Parameter.Kind.WEIGHT));
  }

  /** Registers a trained matrix that is not penalised; returns it. value is kept. */
  protected final Parameter bias(String name, DMatrixRMaj value) {
    return register(new Parameter(name, value, Parameter.Kind.BIAS));
  }

  /** Registers a matrix the module updates itself, saved with the model; returns it. */
  protected final Parameter statistic(String name, DMatrixRMaj value) {
    return register(new Parameter(name, value, Parameter.Kind.STATISTIC));
  }

  /** Registers a parameter made elsewhere (shared, or restored); returns it. */
  protected final Parameter register(Parameter p) {
    checkFree(p.name());
    parameters.put(p.name(), p);
    return p;
  }

  /** Registers a sub-module under name; returns it. */
  protected final <M extends Module> M module(String name, M child) {
    Objects.requireNonNull(child, "child");
    if (name.isEmpty() || name.contains(".")) {
      throw new IllegalArgumentException("a module's name must be non-empty and without '.', got '"
          + name + "'");
    }
    checkFree(name);
    if (child == this) {
      throw new IllegalArgumentException(name + ": a module cannot contain itself");
    }
    children.put(name, child);
    return child;
  }

  private void checkFree(String name) {
    if (parameters.containsKey(name) || children.containsKey(name)) {
      throw new IllegalArgumentException(getClass().getSimpleName() + " already has a parameter "
          + "or module named '" + name + "'");
    }
  }

  /** The sub-modules registered directly in this one, by name, in registration order. */
  public final Map<String, Module> children() {
    return Collections.unmodifiableMap(children);
  }

  /**
   * Every parameter of this module and its sub-modules (weights, biases and statistics), by path,
   * depth first in registration order. A parameter registered twice appears once, at its first path.
   */
  public final Map<String, Parameter> namedParameters() {
    Map<String, Parameter> all = new LinkedHashMap<>();
    collect("", all, Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
    return Collections.unmodifiableMap(all);
  }

  private void collect(String prefix, Map<String, Parameter> all, java.util.Set<Parameter> seen) {
    parameters.forEach((name, p) -> {
      if (seen.add(p)) {
        all.put(prefix + name, p);
      }
    });
    children.forEach((name, m) -> m.collect(prefix + name + ".", all, seen));
  }

  /** The weights and biases an optimizer may update: not statistics, not frozen ones. */
  public final List<Parameter> trainableParameters() {
    return namedParameters().values().stream().filter(Parameter::isTrainable).toList();
  }

  /** Every weight, bias and statistic, in {@link #namedParameters} order. */
  public final List<Parameter> parameters() {
    return List.copyOf(namedParameters().values());
  }

  /** The number of entries of every weight and bias (statistics not counted). */
  public final long size() {
    return namedParameters().values().stream().filter(p -> p.kind() != Parameter.Kind.STATISTIC)
        .mapToLong(p -> p.value().getNumElements()).sum();
  }

  /** Freezes every parameter of this module and its sub-modules; returns this. */
  public final Module freeze() {
    namedParameters().values().forEach(p -> p.setFrozen(true));
    return this;
  }

  /** Unfreezes every parameter of this module and its sub-modules; returns this. */
  public final Module unfreeze() {
    namedParameters().values().forEach(p -> p.setFrozen(false));
    return this;
  }

  /** The output for a batch X (one example per row) in inference mode, on a tape of its own. */
  public DMatrixRMaj predict(DMatrixRMaj X) {
    try (Tape tape = new Tape()) {
      return forward(tape.constant("X", X), Bindings.constants(tape, this)).value().copy();
    }
  }

  /**
   * The index of the largest logit in each row: the predicted class. X Not modified.
   *
   * @throws IllegalArgumentException for a row of X holding a NaN or ±∞, or whose logits are not
   *     all numbers, naming the row: a class for it would count garbage as a prediction
   */
  public int[] classify(DMatrixRMaj X) {
    Data.requireFinite("X", X, "no class can be predicted for that row");
    try (Tape tape = new Tape()) {
      DMatrixRMaj z = logits(tape.constant("X", X), Bindings.constants(tape, this)).value();
      int[] c = new int[z.numRows];
      for (int i = 0; i < z.numRows; i++) {
        for (int j = 0; j < z.numCols; j++) {
          if (Double.isNaN(z.get(i, j))) {
            throw new IllegalArgumentException("classify: the logits of row " + i + " hold a NaN"
                + " (the parameters may have diverged)");
          }
        }
        for (int j = 1; j < z.numCols; j++) {
          if (z.get(i, j) > z.get(i, c[i])) {
            c[i] = j;
          }
        }
      }
      return c;
    }
  }

  /** A module without parameters that applies f, e.g. {@code Module.of("relu", Node::relu)}. */
  public static Module of(String name, UnaryOperator<Node> f) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(f, "f");
    return new Module() {
      @Override
      public Node forward(Node input, Bindings p) {
        return f.apply(input);
      }

      @Override
      public String toString() {
        return name;
      }
    };
  }

  /** The class name and each child on a line of its own, indented, as PyTorch prints a model. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(getClass().getSimpleName());
    if (!children.isEmpty()) {
      s.append("(\n");
      children.forEach((name, m) -> s.append("  (").append(name).append("): ")
          .append(m.toString().replace("\n", "\n  ")).append('\n'));
      s.append(')');
    }
    return s.toString();
  }
}
