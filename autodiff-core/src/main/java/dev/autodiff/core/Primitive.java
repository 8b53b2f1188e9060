package dev.autodiff.core;

import org.ejml.data.DMatrixRMaj;

/**
 * An op written as the built-ins are: its name and arity, the output's shape, the domain of each
 * input, a forward kernel that writes into a given matrix, the vector-Jacobian product of each
 * input in {@link Node} operations, and the formula a trace prints. The engine checks shapes and
 * domains before the kernel runs; a {@link Plan} runs the kernel on its own buffers.
 */
public abstract class Primitive implements Op {
  private final String name;
  private final int arity;
  private final String label;

  /**
   * @param name the op's name in errors and traces
   * @param arity the number of inputs
   * @param label how a node it makes is written from named inputs, e.g. {@code "{0}·{1}"}
   */
  protected Primitive(String name, int arity, String label) {
    this.name = name;
    this.arity = arity;
    this.label = label;
  }

  @Override
  public String name() {
    return name;
  }

  /** The number of inputs. */
  public final int arity() {
    return arity;
  }

  @Override
  public String label() {
    return label;
  }

  /**
   * The output's shape for inputs of these shapes, after checking them: throws {@link
   * IllegalArgumentException} naming the op, the nodes and their shapes (see {@link Shapes}).
   */
  protected abstract Shape shape(Node[] x);

  /** The values input i accepts; {@link Domain#ANY} unless the op says otherwise. */
  public Domain domain(int i) {
    return Domain.ANY;
  }

  /**
   * The values of input i at which the op's derivative jumps (relu's 0), for a gradient checker to
   * keep its samples away from; none unless the op says so.
   */
  public double[] kinks(int i) {
    return NO_KINKS;
  }

  private static final double[] NO_KINKS = {};

  /** True when the op broadcasts its inputs, so that a gradient is summed over broadcast axes. */
  public boolean broadcasts() {
    return false;
  }

  /**
   * y = f(x), writing every entry of y; shapes and domains were checked. x Not modified; y
   * Modified.
   */
  public abstract void compute(DMatrixRMaj[] x, DMatrixRMaj y);

  @Override
  public abstract Node vjp(int i, Node y, Node g);

  @Override
  public abstract String gradientFormula(int i);

  @Override
  public final DMatrixRMaj forward(Node... x) {
    if (x.length != arity) {
      throw new IllegalArgumentException(
          name() + " takes " + arity + " input" + (arity == 1 ? "" : "s") + ", got " + x.length);
    }
    Shape s = shape(x);
    DMatrixRMaj[] v = new DMatrixRMaj[x.length];
    for (int i = 0; i < x.length; i++) {
      v[i] = x[i].value();
    }
    checkDomains(x, v);
    DMatrixRMaj y = new DMatrixRMaj(s.rows(), s.cols());
    compute(v, y);
    return y;
  }

  /**
   * Throws unless every input value v[i] of node x[i] is in the op's domain for input i. An op
   * whose inputs bound each other's values (ids within a table's rows) adds its own check.
   */
  void checkDomains(Node[] x, DMatrixRMaj[] v) {
    for (int i = 0; i < arity; i++) {
      domain(i).check(name(), x[i], v[i]);
    }
  }
}
