package dev.autodiff.nn;

import java.util.Objects;
import org.ejml.data.DMatrixRMaj;

/**
 * A named matrix a {@link Module} owns: a weight (trained, and in the penalty s = λ/2 Σ‖W‖²_F), a
 * bias (trained, not penalised) or a statistic (not trained, such as batch normalisation's running
 * mean). Optimizers update a weight or bias in place between steps; each step binds it to a tape as
 * a variable, or as a constant while it is frozen. Model files save all three kinds by name.
 */
public final class Parameter {
  /** What a parameter is for. */
  public enum Kind {
    /** Trained and penalised by s = λ/2 ‖W‖²_F. */
    WEIGHT,
    /** Trained, not penalised. */
    BIAS,
    /** Not trained: a value the module updates itself (running statistics); saved with the model. */
    STATISTIC
  }

  private final String name;
  private final DMatrixRMaj value;
  private final Kind kind;
  private boolean frozen;

  /** A parameter named {@code name} (its name within its module) over value, which it keeps. */
  public Parameter(String name, DMatrixRMaj value, Kind kind) {
    this.name = Objects.requireNonNull(name, "name");
    this.value = Objects.requireNonNull(value, "value");
    this.kind = Objects.requireNonNull(kind, "kind");
    if (name.isEmpty() || name.contains(".")) {
      throw new IllegalArgumentException("a parameter's name must be non-empty and without '.' "
          + "(the separator of module paths), got '" + name + "'");
    }
  }

  /** The name within its module; {@link Module#namedParameters} gives the path from the root. */
  public String name() {
    return name;
  }

  /** The current value, updated in place by optimizers. Modified by training. */
  public DMatrixRMaj value() {
    return value;
  }

  /** Weight, bias or statistic. */
  public Kind kind() {
    return kind;
  }

  /** True for a weight matrix (in s = λ/2 Σ‖W‖²_F), false for a bias or a statistic. */
  public boolean isWeight() {
    return kind == Kind.WEIGHT;
  }

  /** True when optimizers may update it: a weight or a bias that is not frozen. */
  public boolean isTrainable() {
    return kind != Kind.STATISTIC && !frozen;
  }

  /** True while frozen: bound as a constant, so it gets no gradient and no update. */
  public boolean isFrozen() {
    return frozen;
  }

  /** Freezes (true) or unfreezes it. */
  public void setFrozen(boolean frozen) {
    this.frozen = frozen;
  }

  /** The number of rows of the value. */
  public int rows() {
    return value.numRows;
  }

  /** The number of columns of the value. */
  public int cols() {
    return value.numCols;
  }

  @Override
  public String toString() {
    return name + " (" + value.numRows + "×" + value.numCols + ")";
  }
}
