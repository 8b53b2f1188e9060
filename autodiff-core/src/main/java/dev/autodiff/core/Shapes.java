package dev.autodiff.core;

import org.ejml.data.DMatrixRMaj;

/** Shape checks with one message form for every op: the op, the nodes and their shapes. */
public final class Shapes {
  private Shapes() {}

  /** "3×2". */
  public static String of(int rows, int cols) {
    return rows + "×" + cols;
  }

  /** "W (3×2)". */
  public static String describe(Node n) {
    return n.name() + " (" + of(n.rows(), n.cols()) + ")";
  }

  /** Throws unless a and b have the same shape. */
  public static void requireSame(String op, Node a, Node b) {
    if (a.rows() != b.rows() || a.cols() != b.cols()) {
      throw new IllegalArgumentException(
          op + ": " + describe(a) + " and " + describe(b) + " must have the same shape");
    }
  }

  /** Throws unless m has the given shape. */
  public static void requireShape(String what, DMatrixRMaj m, int rows, int cols) {
    if (m.numRows != rows || m.numCols != cols) {
      throw new IllegalArgumentException(
          what + " must be " + of(rows, cols) + ", got " + of(m.numRows, m.numCols));
    }
  }

  /**
   * The shape a and b broadcast to: in each dimension the sizes agree or one of them is 1, so m×n
   * combines with 1×n, m×1 and 1×1. Otherwise a clear error naming op, nodes and shapes.
   */
  public static Shape broadcast(String op, Node a, Node b) {
    int rows = dim(a.rows(), b.rows());
    int cols = dim(a.cols(), b.cols());
    if (rows < 0 || cols < 0) {
      String which = rows < 0 && cols < 0
          ? "rows " + a.rows() + " and " + b.rows() + " and columns " + a.cols() + " and "
              + b.cols() + " differ and none is 1"
          : rows < 0 ? "rows " + a.rows() + " and " + b.rows() + " differ and neither is 1"
              : "columns " + a.cols() + " and " + b.cols() + " differ and neither is 1";
      throw new IllegalArgumentException(op + ": cannot broadcast " + describe(a) + " with "
          + describe(b) + ": " + which + " (allowed: equal shapes, or 1×n, m×1, 1×1 against m×n)");
    }
    return new Shape(rows, cols);
  }

  private static int dim(int p, int q) {
    return p == q || q == 1 ? p : p == 1 ? q : -1;
  }
}
