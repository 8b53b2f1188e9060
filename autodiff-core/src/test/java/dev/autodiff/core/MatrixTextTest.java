package dev.autodiff.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class MatrixTextTest {
  @Test
  void aSmallNodePrintsItsNameShapeAndEveryValue() {
    Tape tape = new Tape();
    Node W = tape.variable("W", new DMatrixRMaj(new double[][] {{.3, .5, .1}, {.2, .7, .8}}));
    assertEquals("W (2×3) [[0.3, 0.5, 0.1], [0.2, 0.7, 0.8]]", W.toString());
    assertEquals("s (1×1) [[2.6]]", W.sum().named("s").toString());
    assertEquals("x (2×1) [[6], [-3]]",
        tape.constant("x", new DMatrixRMaj(new double[][] {{6}, {-3}})).toString());
  }

  @Test
  void aLargeMatrixShowsItsFirstAndLastThreeRowsAndColumns() {
    DMatrixRMaj m = new DMatrixRMaj(100, 784);
    for (int k = 0; k < m.getNumElements(); k++) {
      m.data[k] = k / 784 + (k % 784) / 1000.0;
    }
    assertEquals("[[0, 0.001, 0.002, …, 0.781, 0.782, 0.783],"
        + " [1, 1.001, 1.002, …, 1.781, 1.782, 1.783],"
        + " [2, 2.001, 2.002, …, 2.781, 2.782, 2.783], …,"
        + " [97, 97.001, 97.002, …, 97.781, 97.782, 97.783],"
        + " [98, 98.001, 98.002, …, 98.781, 98.782, 98.783],"
        + " [99, 99.001, 99.002, …, 99.781, 99.782, 99.783]]", MatrixText.of(m));
    assertEquals("X (100×784) " + MatrixText.of(m), new Tape().constant("X", m).toString());
  }

  @Test
  void sixRowsOrColumnsStillPrintInFull() {
    DMatrixRMaj row = new DMatrixRMaj(1, 6, true, 1, 2, 3, 4, 5, 6);
    assertEquals("[[1, 2, 3, 4, 5, 6]]", MatrixText.of(row));
    DMatrixRMaj seven = new DMatrixRMaj(7, 1, true, 1, 2, 3, 4, 5, 6, 7);
    assertEquals("[[1], [2], [3], …, [5], [6], [7]]", MatrixText.of(seven));
  }

  @Test
  void numbersKeepSixSignificantDigits() {
    assertEquals("0.1", MatrixText.number(0.1 + 0.2 - 0.2));
    assertEquals("-2000", MatrixText.number(-2000));
    assertEquals("1.5e-12", MatrixText.number(1.5e-12));
    assertEquals("NaN", MatrixText.number(Double.NaN));
  }
}
