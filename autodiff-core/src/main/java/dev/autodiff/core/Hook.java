package dev.autodiff.core;

import java.util.function.UnaryOperator;
import org.ejml.data.DMatrixRMaj;

/**
 * A gradient hook ({@link Node#registerHook}) applied to a node's summed gradient, recorded as an
 * op on that gradient: a backward runs it once per pass, a recorded backward records it, and a
 * plan runs it at every run.
 */
final class Hook implements Op {
  private final Node node;
  final UnaryOperator<DMatrixRMaj> f;

  Hook(Node node, UnaryOperator<DMatrixRMaj> f) {
    this.node = node;
    this.f = f;
  }

  @Override
  public String name() {
    return "hook(∂/∂" + node.name() + ")";
  }

  /** The hook on a copy of the gradient, which it may modify and return. */
  @Override
  public DMatrixRMaj forward(Node... g) {
    DMatrixRMaj y = f.apply(g[0].value().copy());
    if (y == null || y.numRows != node.rows || y.numCols != node.cols) {
      throw new IllegalStateException("the gradient hook on " + Shapes.describe(node)
          + " returned " + (y == null ? "null" : Shapes.of(y.numRows, y.numCols))
          + "; it must return a gradient of the node's shape");
    }
    return y;
  }

  @Override
  public Node vjp(int i, Node y, Node g) {
    throw new UnsupportedOperationException("the gradient hook on " + node.name() + " is matrix"
        + " code: a gradient that went through it cannot be differentiated again");
  }

  @Override
  public String gradientFormula(int i) {
    return "hook({g})";
  }
}
