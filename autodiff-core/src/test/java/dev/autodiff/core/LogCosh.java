package dev.autodiff.core;

import org.ejml.data.DMatrixRMaj;

// docs/CORE.md shows this class as it stands here, from its declaration on (CustomOpTest)
final class LogCosh implements Op {
  public String name() { return "logCosh"; }

  public DMatrixRMaj forward(Node... x) {             // y = log cosh x, stably
    DMatrixRMaj a = x[0].value(), y = new DMatrixRMaj(a.numRows, a.numCols);
    for (int k = 0; k < a.getNumElements(); k++) {
      double v = Math.abs(a.data[k]);
      y.data[k] = v + Math.log1p(Math.exp(-2 * v)) - Math.log(2);
    }
    return y;
  }

  public Node vjp(int i, Node y, Node g) {            // x ← g ⊙ tanh x
    return g.mul(y.input(0).tanh());
  }
}
