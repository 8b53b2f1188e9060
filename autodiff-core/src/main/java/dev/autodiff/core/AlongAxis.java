package dev.autodiff.core;

/**
 * An op of one input that reduces each row to one entry (m×1) or each column to one entry (1×n):
 * the means, variances, extremes and log-sum-exps along an axis.
 */
abstract class AlongAxis extends Primitive {
  /** Each row reduced (m×1), else each column (1×n). */
  final boolean rows;

  /** The op called name + "Rows" or name + "Cols". */
  AlongAxis(String name, boolean rows) {
    super(name + (rows ? "Rows" : "Cols"), 1, null);
    this.rows = rows;
  }

  @Override
  protected final Shape shape(Node[] x) {
    return rows ? new Shape(x[0].rows(), 1) : new Shape(1, x[0].cols());
  }

  /** How many entries of x each output entry reduces: a row's or a column's. */
  final int lineLength(Node x) {
    return rows ? x.cols() : x.rows();
  }
}
