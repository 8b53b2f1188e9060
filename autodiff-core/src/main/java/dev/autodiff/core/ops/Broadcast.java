package dev.autodiff.core.ops;

import dev.autodiff.core.Node;
import dev.autodiff.core.Shapes;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * Broadcasting of two operands: in each dimension the sizes agree or one of them is 1, so m×n
 * combines with 1×n (a row to every row), m×1 (a column to every column) and 1×1.
 */
public final class Broadcast {
  private Broadcast() {}

  /** The broadcast shape {rows, cols} of a and b, or a clear error naming op, nodes and shapes. */
  public static int[] shape(String op, Node a, Node b) {
    int rows = dim(a.rows(), b.rows());
    int cols = dim(a.cols(), b.cols());
    if (rows < 0 || cols < 0) {
      String which = rows < 0 && cols < 0
          ? "rows " + a.rows() + " and " + b.rows() + " and columns " + a.cols() + " and "
              + b.cols() + " differ and none is 1"
          : rows < 0 ? "rows " + a.rows() + " and " + b.rows() + " differ and neither is 1"
              : "columns " + a.cols() + " and " + b.cols() + " differ and neither is 1";
      throw new IllegalArgumentException(op + ": cannot broadcast " + Shapes.describe(a)
          + " with " + Shapes.describe(b) + ": " + which
          + " (allowed: equal shapes, or 1×n, m×1, 1×1 against m×n)");
    }
    return new int[] {rows, cols};
  }

  private static int dim(int p, int q) {
    return p == q || q == 1 ? p : p == 1 ? q : -1;
  }

  static final int ADD = 0;
  static final int SUB = 1;
  static final int MUL = 2;
  static final int DIV = 3;

  /** out = a ∘ b elementwise with broadcasting; out may be a (same shape). */
  static void apply(int kind, DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj out) {
    double[] A = a.data;
    double[] B = b.data;
    double[] Y = out.data;
    int n = out.getNumElements();
    // the loops the JIT vectorises read and write every array at one index: equal shapes as they
    // are, and a row broadcast (a bias) once its row is tiled over out, while out is small enough
    // for the cache; beyond that memory is the limit, and tiling would add a pass over it
    if (same(a, out) && same(b, out)) {
      flat(kind, A, B, Y, n);
      return;
    }
    boolean apart = out != a && out != b && n <= TILED;
    if (apart && same(a, out) && b.numRows == 1 && b.numCols == out.numCols) {
      tile(B, Y, out.numCols, n);
      flat(kind, A, Y, Y, n);
      return;
    }
    if (apart && same(b, out) && a.numRows == 1 && a.numCols == out.numCols) {
      tile(A, Y, out.numCols, n);
      flat(kind, Y, B, Y, n);
      return;
    }
    int rows = out.numRows;
    int cols = out.numCols;
    // a stride of 0 repeats the single row or column of a broadcast operand
    int ar = a.numRows == 1 ? 0 : a.numCols;
    int ac = a.numCols == 1 ? 0 : 1;
    int br = b.numRows == 1 ? 0 : b.numCols;
    int bc = b.numCols == 1 ? 0 : 1;
    for (int i = 0; i < rows; i++) {
      int ia = i * ar;
      int ib = i * br;
      int k = i * cols;
      switch (kind) {
        case ADD -> {
          for (int j = 0; j < cols; j++) {
            Y[k + j] = A[ia + j * ac] + B[ib + j * bc];
          }
        }
        case SUB -> {
          for (int j = 0; j < cols; j++) {
            Y[k + j] = A[ia + j * ac] - B[ib + j * bc];
          }
        }
        case MUL -> {
          for (int j = 0; j < cols; j++) {
            Y[k + j] = A[ia + j * ac] * B[ib + j * bc];
          }
        }
        default -> {
          for (int j = 0; j < cols; j++) {
            Y[k + j] = A[ia + j * ac] / B[ib + j * bc];
          }
        }
      }
    }
  }

  /**
   * Up to this many entries a row broadcast is tiled (measured, a bias add: 32×32 0.62 µs as
   * strided loops, 0.18 tiled; 64×256 7.2 and 6.1; 256×1024 163 and 186).
   */
  private static final int TILED = 1 << 16;

  private static boolean same(DMatrixRMaj p, DMatrixRMaj q) {
    return p.numRows == q.numRows && p.numCols == q.numCols;
  }

  /** Y[j] = A[j] ∘ B[j] for j &lt; n; Y may be A or B. */
  private static void flat(int kind, double[] A, double[] B, double[] Y, int n) {
    switch (kind) {
      case ADD -> {
        for (int j = 0; j < n; j++) {
          Y[j] = A[j] + B[j];
        }
      }
      case SUB -> {
        for (int j = 0; j < n; j++) {
          Y[j] = A[j] - B[j];
        }
      }
      case MUL -> {
        for (int j = 0; j < n; j++) {
          Y[j] = A[j] * B[j];
        }
      }
      default -> {
        for (int j = 0; j < n; j++) {
          Y[j] = A[j] / B[j];
        }
      }
    }
  }

  /** The first cols entries of row repeated over Y[0, n), in copies that double each time. */
  private static void tile(double[] row, double[] Y, int cols, int n) {
    System.arraycopy(row, 0, Y, 0, cols);
    for (int filled = cols; filled < n; filled *= 2) {
      System.arraycopy(Y, 0, Y, filled, Math.min(filled, n - filled));
    }
  }

  /**
   * dst += α · (src summed over the dimensions in which dst was broadcast): the gradient of a
   * broadcast operand (Σₙ δ for a bias). With first set, dst's old contents are ignored: dst = α ·
   * (…), one pass where zeros and an addition would take two. src Not modified; dst Modified.
   */
  static void reduce(DMatrixRMaj src, double alpha, DMatrixRMaj dst, boolean first) {
    if (src.numRows == dst.numRows && src.numCols == dst.numCols) {
      if (!first) {
        CommonOps_DDRM.addEquals(dst, alpha, src);
      } else if (alpha == 1) {
        System.arraycopy(src.data, 0, dst.data, 0, src.getNumElements());
      } else {
        CommonOps_DDRM.scale(alpha, src, dst);
      }
      return;
    }
    if (first) {
      dst.zero(); // a broadcast operand is the small one: a bias row, a column, a scalar
    }
    addReduced(src, alpha, dst);
  }

  /** dst += α · (src summed over the dimensions in which dst was broadcast). */
  static void addReduced(DMatrixRMaj src, double alpha, DMatrixRMaj dst) {
    if (src.numRows == dst.numRows && src.numCols == dst.numCols) {
      CommonOps_DDRM.addEquals(dst, alpha, src);
      return;
    }
    int rows = src.numRows;
    int cols = src.numCols;
    int dr = dst.numRows == 1 ? 0 : dst.numCols;
    int dc = dst.numCols == 1 ? 0 : 1;
    double[] S = src.data;
    double[] D = dst.data;
    for (int i = 0; i < rows; i++) {
      int id = i * dr;
      int k = i * cols;
      for (int j = 0; j < cols; j++) {
        D[id + j * dc] += alpha * S[k + j];
      }
    }
  }
}
