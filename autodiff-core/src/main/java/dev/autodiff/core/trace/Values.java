package dev.autodiff.core.trace;

import dev.autodiff.core.MatrixText;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.NormOps_DDRM;

/** Numbers and matrices as short text; a matrix beyond a size is summarised. */
public final class Values {
  private Values() {}

  /** 6 significant digits, trailing zeros dropped (0.08725, -2000): {@link MatrixText#number}. */
  public static String number(double v) {
    return MatrixText.number(v);
  }

  /** [3.4; 3.5; 2.1] for a column, rows split by ';'; a 1×1 as its number. */
  public static String matrix(DMatrixRMaj m, int maxEntries) {
    if (m.getNumElements() == 1) {
      return number(m.data[0]);
    }
    if (m.getNumElements() > maxEntries) {
      StringBuilder s = new StringBuilder("⟨" + m.numRows + "×" + m.numCols + ", ‖·‖_F = "
          + number(NormOps_DDRM.normF(m)) + ", first [");
      for (int k = 0; k < Math.min(4, maxEntries); k++) {
        s.append(k > 0 ? " " : "").append(number(m.data[k]));
      }
      return s.append(" …]⟩").toString();
    }
    StringBuilder s = new StringBuilder("[");
    for (int i = 0; i < m.numRows; i++) {
      s.append(i > 0 ? "; " : "");
      for (int j = 0; j < m.numCols; j++) {
        s.append(j > 0 ? " " : "").append(number(m.get(i, j)));
      }
    }
    return s.append(']').toString();
  }

  /** A LaTeX bmatrix, or a summary beyond maxEntries. */
  static String latex(DMatrixRMaj m, int maxEntries) {
    if (m.getNumElements() == 1) {
      return number(m.data[0]);
    }
    if (m.getNumElements() > maxEntries) {
      return "\\langle " + m.numRows + "\\times " + m.numCols + ",\\ \\|\\cdot\\|_F = "
          + number(NormOps_DDRM.normF(m)) + "\\rangle";
    }
    StringBuilder s = new StringBuilder("\\begin{bmatrix} ");
    for (int i = 0; i < m.numRows; i++) {
      s.append(i > 0 ? " \\\\ " : "");
      for (int j = 0; j < m.numCols; j++) {
        s.append(j > 0 ? " & " : "").append(number(m.get(i, j)));
      }
    }
    return s.append(" \\end{bmatrix}").toString();
  }
}
