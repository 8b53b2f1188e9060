package dev.autodiff.core;

/** An op of one input whose output has the input's shape: the elementwise and row-wise ops. */
abstract class Unary extends Primitive {
  Unary(String name, String label) {
    super(name, 1, label);
  }

  @Override
  protected final Shape shape(Node[] x) {
    return x[0].shape();
  }
}
