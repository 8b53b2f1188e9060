package dev.autodiff.core.ops;

import dev.autodiff.core.Node;
import dev.autodiff.core.Op;

/** Checks shared by the built-in ops. */
final class Ops {
  private Ops() {}

  static void arity(Op op, Node[] x, int n) {
    if (x.length != n) {
      throw new IllegalArgumentException(
          op.name() + " takes " + n + " input" + (n == 1 ? "" : "s") + ", got " + x.length);
    }
  }
}
