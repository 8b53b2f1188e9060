package dev.autodiff.nn;

import static com.google.common.base.Preconditions.checkNotNull;

import org.ejml.data.DMatrixRMaj;

/**
 * A trainable matrix with a stable name ({@code W1}, {@code b1}, …). Optimizers update its value in
 * place between steps; each step binds it to a fresh tape as a variable.
 */
public final class Parameter {
  private final String name;
  private final DMatrixRMaj value;
  private final boolean weight;

  Parameter(String name, DMatrixRMaj value, boolean weight) {
    this.name = checkNotNull(name, "name");
    this.value = checkNotNull(value, "value");
    this.weight = weight;
  }

  public String name() {
    return name;
  }

  /** The current value, updated in place by optimizers. Modified by training. */
  public DMatrixRMaj value() {
    return value;
  }

  /** True for a weight matrix (in s = λ/2 Σ‖W‖²_F), false for a bias (not regularized). */
  public boolean isWeight() {
    return weight;
  }

  public int rows() {
    return value.numRows;
  }

  public int cols() {
    return value.numCols;
  }

  @Override
  public String toString() {
    return name + " (" + value.numRows + "×" + value.numCols + ")";
  }
}
