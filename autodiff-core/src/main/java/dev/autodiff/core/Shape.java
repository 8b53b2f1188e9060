package dev.autodiff.core;

/** The number of rows and columns of a matrix; prints as "3×2". */
public record Shape(int rows, int cols) {
  /** The number of entries, rows·cols. */
  public int size() {
    return rows * cols;
  }

  @Override
  public String toString() {
    return rows + "×" + cols;
  }
}
