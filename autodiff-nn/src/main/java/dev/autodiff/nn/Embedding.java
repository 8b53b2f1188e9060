package dev.autodiff.nn;

import dev.autodiff.core.Node;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;

/**
 * A table of learned rows, one per id: Y[n] = W[X[n, 0]] ‖ W[X[n, 1]] ‖ … ‖ W[X[n, T−1]].
 *
 * <p>A batch X (N×T, one example of T ids per row, the ids held as whole numbers from 0 to
 * vocabulary − 1) maps to Y (N×(T·width)): row n is the rows of W (vocabulary×width) at its ids,
 * one after another. The ids are read from X's node whenever the lookup is computed, so a plan
 * recorded once (the {@link Trainer}'s) looks up each batch's own ids. Only the rows looked up get
 * a gradient; W is a weight, in the penalty s.
 *
 * <p>Initialisation: W from N(0, 1), as PyTorch's {@code nn.Embedding}, drawn in row-major order
 * from the given source. Same source, same values.
 */
public final class Embedding extends Module {
  private final Parameter W;

  /** A table of {@code vocabulary} rows of {@code width} entries, each from N(0, 1). */
  public Embedding(int vocabulary, int width, Random random) {
    if (vocabulary <= 0 || width <= 0) {
      throw new IllegalArgumentException("an embedding needs vocabulary > 0 and width > 0, got "
          + vocabulary + " and " + width);
    }
    DMatrixRMaj w = new DMatrixRMaj(vocabulary, width);
    Init.normal(w, 1, random);
    this.W = weight("W", w);
  }

  /**
   * Y = the rows of W at X's ids, T rows concatenated per example: N×T to N×(T·width).
   *
   * @throws IllegalArgumentException when X is differentiable (ids get no gradient), or, naming
   *     its row and column, for an id that is not a row of W
   * @throws ArithmeticException naming its row and column for an id that is not a whole number
   */
  @Override
  public Node forward(Node X, Bindings p) {
    if (X.requiresGrad()) {
      throw new IllegalArgumentException(this + ": the ids " + X.name() + " (" + X.rows() + "×"
          + X.cols() + ") must be a constant of whole numbers, not a variable");
    }
    return p.apply(W).gatherRows(X).reshape(X.rows(), X.cols() * width());
  }

  /** The table, one embedding per row (vocabulary×width). */
  public Parameter W() {
    return W;
  }

  /** The number of ids: the table's rows. */
  public int vocabulary() {
    return W.rows();
  }

  /** The width of one embedding. */
  public int width() {
    return W.cols();
  }

  @Override
  public String toString() {
    return "Embedding(" + vocabulary() + ", " + width() + ")";
  }
}
