package dev.autodiff.core.ops;

import dev.autodiff.core.Node;
import dev.autodiff.core.Op;
import org.ejml.data.DMatrixRMaj;

/** What the built-in ops share: input checks, and forward as recompute into a new matrix. */
final class Ops {
  private Ops() {}

  /**
   * A rows×cols value computed by op.recompute: forward after its shape checks. The matrix comes
   * from the tape, a closed tape's when it has one to hand on: recompute writes every entry.
   */
  static DMatrixRMaj value(Op op, Node[] x, int rows, int cols) {
    DMatrixRMaj y = x[0].tape().newValue(rows, cols);
    if (op instanceof FreshGradient.Claiming c) {
      c.recompute(x, y); // a virtual call rather than an interface one
    } else {
      op.recompute(x, y);
    }
    return y;
  }

  static void arity(Op op, Node[] x, int n) {
    if (x.length != n) {
      throw new IllegalArgumentException(
          op.name() + " takes " + n + " input" + (n == 1 ? "" : "s") + ", got " + x.length);
    }
  }
}
