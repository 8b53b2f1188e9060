package dev.autodiff.nn;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;

/**
 * One worker's share of a batch: its number of rows, its L over them (reduced as the loss reduces
 * rows) and ∂L/∂θ by parameter path. {@link #combine} adds shares up in the order given — the
 * partitions' order, not the order they finish in — so the result is the same bit for bit from
 * run to run. Serializable, to travel from a worker to the driver.
 *
 * @param rows the number of the batch's rows this share covers
 * @param L the loss over them, reduced as the loss reduces rows
 * @param gradient ∂L/∂θ by parameter path, row-major
 */
public record PartialGradient(int rows, double L, Map<String, double[]> gradient)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The gradient map is copied. */
  public PartialGradient {
    gradient = new LinkedHashMap<>(gradient);
  }

  /** The share of no rows: it adds nothing. */
  public static PartialGradient empty() {
    return new PartialGradient(0, 0, Map.of());
  }

  /**
   * The share of the rows of X and Y, on a compiled objective with no penalty (λ = 0: the driver
   * adds s once). X and Y Not modified.
   *
   * @throws IllegalArgumentException when the objective has a penalty
   * @throws IllegalStateException when L is not finite, naming it
   */
  public static PartialGradient of(CompiledObjective objective, DMatrixRMaj X, DMatrixRMaj Y,
      long step) {
    if (objective.objective().lambda() != 0) {
      throw new IllegalArgumentException("a share of a batch is computed without the penalty "
          + "(λ = 0); the driver adds s once, got λ = " + objective.objective().lambda());
    }
    if (X.numRows == 0) {
      return empty();
    }
    CompiledObjective.Evaluation e = objective.evaluate(X, Y, step);
    if (!Double.isFinite(e.L())) {
      throw new IllegalStateException("L = " + e.L() + " on this share of " + X.numRows
          + " rows");
    }
    Map<String, double[]> g = new LinkedHashMap<>();
    objective.model().namedParameters().forEach((path, p) -> {
      DMatrixRMaj d = e.gradient().get(p);
      if (d != null) {
        g.put(path, java.util.Arrays.copyOf(d.data, d.getNumElements()));
      }
    });
    return new PartialGradient(X.numRows, e.L(), g);
  }

  /**
   * The batch's L and gradient from its shares, added in list order: for a mean loss Σ n_p L_p /
   * Σ n_p (and so the gradient), for a summed loss Σ L_p. Shapes from model.
   */
  public static GradientSource.LossGradient combine(List<PartialGradient> shares, Loss loss,
      Module model) {
    long rows = shares.stream().mapToLong(PartialGradient::rows).sum();
    if (rows == 0) {
      throw new IllegalArgumentException("no rows in any share of the batch");
    }
    Map<String, Parameter> parameters = model.namedParameters();
    Map<String, DMatrixRMaj> gradient = new LinkedHashMap<>();
    parameters.forEach((path, p) -> {
      if (p.isTrainable()) {
        gradient.put(path, new DMatrixRMaj(p.rows(), p.cols()));
      }
    });
    double L = 0;
    for (PartialGradient share : shares) {
      if (share.rows() == 0) {
        continue;
      }
      double w = loss.averagesRows() ? share.rows() / (double) rows : 1;
      L += w * share.L();
      share.gradient().forEach((path, d) -> {
        DMatrixRMaj sum = gradient.get(path);
        if (sum == null || sum.getNumElements() != d.length) {
          throw new IllegalArgumentException("a share's gradient of '" + path + "' has "
              + d.length + " entries; the model's parameter " + parameters.get(path));
        }
        for (int k = 0; k < d.length; k++) {
          sum.data[k] += w * d[k];
        }
      });
    }
    return new GradientSource.LossGradient(L, gradient);
  }
}
