package dev.autodiff.core;

import org.ejml.data.DMatrixRMaj;

// docs/CORE.md shows this class as it stands here, from its declaration on (CustomOpTest)
final class Softplus implements Op {
  public String name() { return "softplus"; }

  public DMatrixRMaj forward(Node... x) {             // y = log(1 + eˣ), stably
    DMatrixRMaj a = x[0].value(), y = new DMatrixRMaj(a.numRows, a.numCols);
    for (int k = 0; k < a.getNumElements(); k++)
      y.data[k] = Math.max(a.data[k], 0) + Math.log1p(Math.exp(-Math.abs(a.data[k])));
    return y;
  }

  public Node vjp(int i, Node y, Node g) {            // x ← g ⊙ σ(x)
    return g.mul(y.input(0).sigmoid());
  }
}
