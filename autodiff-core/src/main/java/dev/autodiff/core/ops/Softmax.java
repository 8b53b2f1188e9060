package dev.autodiff.core.ops;

import dev.autodiff.core.Node;
import dev.autodiff.core.Op;
import org.ejml.data.DMatrixRMaj;

/** Row-wise softmax and log-softmax, shifted by each row's maximum so logits of ±1000 stay finite. */
public final class Softmax implements Op {
  /** y = softmax(x) per row;  x ← y ⊙ (g − rowsum(g ⊙ y)). */
  public static final Softmax SOFTMAX = new Softmax(false);
  /** y = x − logΣexp(x) per row;  x ← g − softmax(x) ⊙ rowsum(g). */
  public static final Softmax LOG_SOFTMAX = new Softmax(true);

  private final boolean log;

  private Softmax(boolean log) {
    this.log = log;
  }

  @Override
  public String name() {
    return log ? "logSoftmax" : "softmax";
  }

  @Override
  public DMatrixRMaj forward(Node... x) {
    Ops.arity(this, x, 1);
    return Ops.value(this, x, x[0].rows(), x[0].cols());
  }

  @Override
  public void recompute(Node[] x, DMatrixRMaj y) {
    DMatrixRMaj a = x[0].value();
    int cols = a.numCols;
    double[] X = a.data;
    double[] Y = y.data;
    for (int i = 0; i < a.numRows; i++) {
      int k = i * cols;
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < cols; j++) {
        max = Math.max(max, X[k + j]);
      }
      double sum = 0;
      for (int j = 0; j < cols; j++) {
        double e = Math.exp(X[k + j] - max);
        Y[k + j] = e;
        sum += e;
      }
      if (log) {
        double shift = max + Math.log(sum);
        for (int j = 0; j < cols; j++) {
          Y[k + j] = X[k + j] - shift;
        }
      } else {
        for (int j = 0; j < cols; j++) {
          Y[k + j] /= sum;
        }
      }
    }
  }

  @Override
  public void backward(DMatrixRMaj g, DMatrixRMaj y, Node[] x, DMatrixRMaj[] gx) {
    if (gx[0] == null) {
      return;
    }
    int cols = y.numCols;
    double[] G = g.data;
    double[] Y = y.data;
    double[] D = gx[0].data;
    for (int i = 0; i < y.numRows; i++) {
      int k = i * cols;
      double s = 0;
      for (int j = 0; j < cols; j++) {
        s += log ? G[k + j] : G[k + j] * Y[k + j];
      }
      for (int j = 0; j < cols; j++) {
        D[k + j] += log ? G[k + j] - Math.exp(Y[k + j]) * s : Y[k + j] * (G[k + j] - s);
      }
    }
  }

  @Override
  public String gradientFormula(int i) {
    return log ? "{g} − softmax({0}) ⊙ Σ_row {g}" : "{y} ⊙ ({g} − Σ_row({g} ⊙ {y}))";
  }
}
