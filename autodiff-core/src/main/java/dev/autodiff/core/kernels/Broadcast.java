package dev.autodiff.core.kernels;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * Elementwise arithmetic on two operands that broadcast: in each dimension the sizes agree or one is
 * 1, so m×n combines with 1×n (a row to every row), m×1 (a column to every column) and 1×1. The
 * shapes are checked by the op before any of these is called; out has the broadcast shape and may
 * be an operand of that same shape.
 */
public final class Broadcast {
  private Broadcast() {}

  private static final int ADD = 0;
  private static final int SUB = 1;
  private static final int MUL = 2;
  private static final int DIV = 3;
  private static final int DIV_NO_NAN = 4;
  private static final int MAX = 5;
  private static final int MIN = 6;

  /** out = a + b. a, b Not modified; out Modified. */
  public static void add(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj out) {
    apply(ADD, a, b, out);
  }

  /** out = a − b. a, b Not modified; out Modified. */
  public static void sub(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj out) {
    apply(SUB, a, b, out);
  }

  /** out = a ⊙ b. a, b Not modified; out Modified. */
  public static void mul(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj out) {
    apply(MUL, a, b, out);
  }

  /** out = a ⊘ b. a, b Not modified; out Modified. */
  public static void div(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj out) {
    apply(DIV, a, b, out);
  }

  /** out = a ⊘ b where b ≠ 0, and 0 where b = 0. a, b Not modified; out Modified. */
  public static void divNoNan(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj out) {
    apply(DIV_NO_NAN, a, b, out);
  }

  /** out = max(a, b), a NaN on either side giving NaN. a, b Not modified; out Modified. */
  public static void max(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj out) {
    apply(MAX, a, b, out);
  }

  /** out = min(a, b), a NaN on either side giving NaN. a, b Not modified; out Modified. */
  public static void min(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj out) {
    apply(MIN, a, b, out);
  }

  /**
   * out = a where m ≠ 0 and b where m = 0, m of out's shape and a, b broadcast to it: a selection,
   * so a NaN or ∞ in the entry not chosen does not reach out. m, a, b Not modified; out Modified.
   */
  public static void where(DMatrixRMaj m, DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj out) {
    int rows = out.numRows;
    int cols = out.numCols;
    int ar = a.numRows == 1 ? 0 : a.numCols;
    int ac = a.numCols == 1 ? 0 : 1;
    int br = b.numRows == 1 ? 0 : b.numCols;
    int bc = b.numCols == 1 ? 0 : 1;
    double[] M = m.data;
    double[] A = a.data;
    double[] B = b.data;
    double[] Y = out.data;
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        int k = i * cols + j;
        Y[k] = M[k] != 0 ? A[i * ar + j * ac] : B[i * br + j * bc];
      }
    }
  }

  private static void apply(int kind, DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj out) {
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
        case DIV -> {
          for (int j = 0; j < cols; j++) {
            Y[k + j] = A[ia + j * ac] / B[ib + j * bc];
          }
        }
        case MAX -> {
          for (int j = 0; j < cols; j++) {
            Y[k + j] = Math.max(A[ia + j * ac], B[ib + j * bc]);
          }
        }
        case MIN -> {
          for (int j = 0; j < cols; j++) {
            Y[k + j] = Math.min(A[ia + j * ac], B[ib + j * bc]);
          }
        }
        default -> {
          for (int j = 0; j < cols; j++) {
            double d = B[ib + j * bc];
            Y[k + j] = d == 0 ? 0 : A[ia + j * ac] / d;
          }
        }
      }
    }
  }

  /**
   * Up to this many entries a row broadcast is tiled: the bias add ran 3× faster tiled at 32×32, a
   * little faster at 64×256, and slower at 256×1024, where the tiling pass costs more than it saves.
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
      case DIV -> {
        for (int j = 0; j < n; j++) {
          Y[j] = A[j] / B[j];
        }
      }
      case MAX -> {
        for (int j = 0; j < n; j++) {
          Y[j] = Math.max(A[j], B[j]);
        }
      }
      case MIN -> {
        for (int j = 0; j < n; j++) {
          Y[j] = Math.min(A[j], B[j]);
        }
      }
      default -> {
        for (int j = 0; j < n; j++) {
          Y[j] = B[j] == 0 ? 0 : A[j] / B[j];
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
   * dst = src summed over the dimensions in which dst is 1 and src is not: the gradient of a
   * broadcast operand (Σₙ δ for a bias), and sum, sumRows and sumCols. src Not modified; dst
   * Modified.
   */
  public static void sumTo(DMatrixRMaj src, DMatrixRMaj dst) {
    if (same(src, dst)) {
      System.arraycopy(src.data, 0, dst.data, 0, src.getNumElements());
      return;
    }
    if (dst.getNumElements() == 1) {
      dst.data[0] = CommonOps_DDRM.elementSum(src);
      return;
    }
    dst.zero();
    addSumTo(src, dst);
  }

  /** dst += src summed over the dimensions in which dst is 1. src Not modified; dst Modified. */
  public static void addSumTo(DMatrixRMaj src, DMatrixRMaj dst) {
    if (same(src, dst)) {
      CommonOps_DDRM.addEquals(dst, src);
      return;
    }
    int rows = src.numRows;
    int cols = src.numCols;
    int dr = dst.numRows == 1 ? 0 : dst.numCols;
    int dc = dst.numCols == 1 ? 0 : 1;
    double[] S = src.data;
    double[] D = dst.data;
    if (dc == 1) { // a row or an equal-width target: one vectorisable pass per source row
      for (int i = 0; i < rows; i++) {
        int id = i * dr;
        int k = i * cols;
        for (int j = 0; j < cols; j++) {
          D[id + j] += S[k + j];
        }
      }
      return;
    }
    for (int i = 0; i < rows; i++) {
      int id = i * dr;
      int k = i * cols;
      double s = 0;
      for (int j = 0; j < cols; j++) {
        s += S[k + j];
      }
      D[id] += s;
    }
  }

  /**
   * dst = src repeated along the dimensions in which src is 1 and dst is not: the gradient of a
   * sum. src Not modified; dst Modified.
   */
  public static void broadcastTo(DMatrixRMaj src, DMatrixRMaj dst) {
    if (same(src, dst)) {
      System.arraycopy(src.data, 0, dst.data, 0, src.getNumElements());
      return;
    }
    int rows = dst.numRows;
    int cols = dst.numCols;
    int sr = src.numRows == 1 ? 0 : src.numCols;
    int sc = src.numCols == 1 ? 0 : 1;
    double[] S = src.data;
    double[] D = dst.data;
    for (int i = 0; i < rows; i++) {
      int is = i * sr;
      int k = i * cols;
      for (int j = 0; j < cols; j++) {
        D[k + j] = S[is + j * sc];
      }
    }
  }
}
