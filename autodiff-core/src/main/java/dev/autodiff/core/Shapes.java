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
}
