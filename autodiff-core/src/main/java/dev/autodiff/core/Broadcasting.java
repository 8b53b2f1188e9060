package dev.autodiff.core;

/**
 * An op of two inputs combined entry by entry after broadcasting: equal sizes in each dimension,
 * or one of them 1. A broadcast input's gradient is the sum over the axes it was broadcast along.
 */
abstract class Broadcasting extends Primitive {
  Broadcasting(String name, String label) {
    super(name, 2, label);
  }

  @Override
  protected final Shape shape(Node[] x) {
    return Shapes.broadcast(name(), x[0], x[1]);
  }

  @Override
  public final boolean broadcasts() {
    return true;
  }
}
