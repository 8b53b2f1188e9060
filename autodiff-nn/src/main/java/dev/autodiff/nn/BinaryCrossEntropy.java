package dev.autodiff.nn;

import dev.autodiff.core.Node;
import dev.autodiff.core.Op;
import dev.autodiff.core.Shapes;
import org.ejml.data.DMatrixRMaj;

/**
 * L = (1/N) Σ max(z, 0) − z y + log(1 + e^(−|z|)) for logits Z and targets Y (both N×k), the
 * binary cross-entropy of σ(z) written so that no exponential can overflow;
 * Z ← g (σ(Z) − Y)/N ;  Y ← −g Z/N.
 */
final class BinaryCrossEntropy implements Op {
  static final BinaryCrossEntropy INSTANCE = new BinaryCrossEntropy();

  private BinaryCrossEntropy() {}

  @Override
  public String name() {
    return "binaryCrossEntropyWithLogits";
  }

  @Override
  public DMatrixRMaj forward(Node... x) {
    if (x.length != 2) {
      throw new IllegalArgumentException(name() + " takes logits and targets, got " + x.length
          + " inputs");
    }
    Shapes.requireSame(name(), x[0], x[1]);
    double[] z = x[0].value().data;
    double[] y = x[1].value().data;
    double sum = 0;
    for (int k = 0; k < x[0].value().getNumElements(); k++) {
      sum += Math.max(z[k], 0) - z[k] * y[k] + Math.log1p(Math.exp(-Math.abs(z[k])));
    }
    return new DMatrixRMaj(1, 1, true, sum / x[0].rows());
  }

  @Override
  public void backward(DMatrixRMaj g, DMatrixRMaj out, Node[] x, DMatrixRMaj[] gx) {
    double scale = g.data[0] / x[0].rows();
    double[] z = x[0].value().data;
    double[] y = x[1].value().data;
    int n = x[0].value().getNumElements();
    if (gx[0] != null) {
      for (int k = 0; k < n; k++) {
        double e = Math.exp(-Math.abs(z[k]));
        double sigma = z[k] >= 0 ? 1 / (1 + e) : e / (1 + e);
        gx[0].data[k] += scale * (sigma - y[k]);
      }
    }
    if (gx[1] != null) {
      for (int k = 0; k < n; k++) {
        gx[1].data[k] -= scale * z[k];
      }
    }
  }

  @Override
  public String gradientFormula(int i) {
    return i == 0 ? "{g}(σ({0}) − {1})/N" : "−{g}{0}/N";
  }
}
