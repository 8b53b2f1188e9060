package dev.autodiff.benchmarks;

import dev.autodiff.benchmarks.Workload.Params;
import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;

/**
 * The step written by hand: every buffer allocated once, no transpose materialised, and the
 * elementwise work (bias broadcast with relu, relu's mask, bias gradients, penalty, update) as plain
 * loops. Layer k maps a[k] (batch×inₖ) to a[k+1] (batch×outₖ); a[0] is X and a[L] is V.
 */
final class HandStep implements Step {
  private final Products products;
  private final DMatrixRMaj y;
  private final Params params;
  private final double eta;
  private final int layers;
  /** Activations: a[0] = X, a[k+1] = relu(a[k] Wₖᵀ ⊕ bₖ), a[L] = V (no relu). */
  private final DMatrixRMaj[] a;
  /** d[k] = ∂J/∂zₖ, the gradient at layer k's pre-activation, batch×outₖ. */
  private final DMatrixRMaj[] d;
  private final DMatrixRMaj[] dw;
  private final DMatrixRMaj[] db;
  private double j;

  HandStep(DMatrixRMaj x, DMatrixRMaj y, Params params, double eta, Products products) {
    this.products = products;
    this.y = y;
    this.params = params;
    this.eta = eta;
    layers = params.layers();
    a = new DMatrixRMaj[layers + 1];
    d = new DMatrixRMaj[layers];
    dw = new DMatrixRMaj[layers];
    db = new DMatrixRMaj[layers];
    a[0] = x;
    for (int k = 0; k < layers; k++) {
      DMatrixRMaj w = params.w()[k];
      a[k + 1] = new DMatrixRMaj(x.numRows, w.numRows);
      d[k] = new DMatrixRMaj(x.numRows, w.numRows);
      dw[k] = new DMatrixRMaj(w.numRows, w.numCols);
      db[k] = new DMatrixRMaj(1, w.numRows);
    }
  }

  @Override
  public void step() {
    DMatrixRMaj[] w = params.w();
    DMatrixRMaj[] b = params.b();
    for (int k = 0; k < layers; k++) {
      products.multTransB(a[k], w[k], a[k + 1]);
      addBias(a[k + 1], b[k], k < layers - 1);
    }
    // ∂(½‖Y − V‖²)/∂V = V − Y, and ‖V − Y‖² on the way
    double sum = subtract(a[layers], y, d[layers - 1]);
    for (int k = layers - 1; k >= 0; k--) {
      products.multTransA(d[k], a[k], dw[k]);
      sumColumns(d[k], db[k]);
      if (k > 0) {
        products.mult(d[k], w[k], d[k - 1]);
        // relu'(z) = [z > 0] = [a > 0], taken as 0 at exactly 0 like the engine's relu
        mask(d[k - 1], a[k]);
      }
    }
    for (int k = 0; k < layers; k++) {
      // ∂(½‖W‖²)/∂W = W joins the data gradient in the update itself, which also sums ‖W‖²
      sum += update(w[k], dw[k], eta, 1.0);
      update(b[k], db[k], eta, 0.0);
    }
    j = 0.5 * sum;
  }

  @Override
  public double J() {
    return j;
  }

  @Override
  public Params params() {
    return params;
  }

  /** z ← z ⊕ b (the 1×n row added to every row), then max(0, ·) in place when relu is set. */
  private static void addBias(DMatrixRMaj z, DMatrixRMaj b, boolean relu) {
    int n = z.numCols;
    double[] v = z.data;
    for (int i = 0; i < z.numRows; i++) {
      int row = i * n;
      for (int j = 0; j < n; j++) {
        double x = v[row + j] + b.data[j];
        v[row + j] = relu && x < 0 ? 0 : x;
      }
    }
  }

  private static void mask(DMatrixRMaj g, DMatrixRMaj activation) {
    double[] v = g.data;
    double[] h = activation.data;
    for (int i = 0, n = g.getNumElements(); i < n; i++) {
      if (h[i] <= 0) {
        v[i] = 0;
      }
    }
  }

  /** out = p − q; returns ‖out‖². */
  private static double subtract(DMatrixRMaj p, DMatrixRMaj q, DMatrixRMaj out) {
    double s = 0;
    for (int i = 0, n = out.getNumElements(); i < n; i++) {
      double e = p.data[i] - q.data[i];
      out.data[i] = e;
      s += e * e;
    }
    return s;
  }

  /** out (1×n) = Σ over the rows of m: the bias gradient Σₙ δ. */
  private static void sumColumns(DMatrixRMaj m, DMatrixRMaj out) {
    int n = m.numCols;
    double[] s = out.data;
    Arrays.fill(s, 0, n, 0.0);
    for (int i = 0; i < m.numRows; i++) {
      int row = i * n;
      for (int j = 0; j < n; j++) {
        s[j] += m.data[row + j];
      }
    }
  }

  /** p ← p − η (g + decay·p); returns ‖p‖² from before. */
  private static double update(DMatrixRMaj p, DMatrixRMaj g, double eta, double decay) {
    double[] v = p.data;
    double s = 0;
    for (int i = 0, n = p.getNumElements(); i < n; i++) {
      double x = v[i];
      s += x * x;
      v[i] = x - eta * (g.data[i] + decay * x);
    }
    return s;
  }
}
