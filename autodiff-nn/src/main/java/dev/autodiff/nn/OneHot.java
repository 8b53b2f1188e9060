package dev.autodiff.nn;

import org.ejml.data.DMatrixRMaj;

/** Class labels as one-hot rows, and accuracy of predicted labels. */
public final class OneHot {
  private OneHot() {}

  /** Y (N×classes) with Y[n][labels[n]] = 1, zeros elsewhere. */
  public static DMatrixRMaj encode(int[] labels, int classes) {
    if (classes <= 0) {
      throw new IllegalArgumentException("classes must be > 0, got " + classes);
    }
    DMatrixRMaj Y = new DMatrixRMaj(labels.length, classes);
    for (int n = 0; n < labels.length; n++) {
      if (labels[n] < 0 || labels[n] >= classes) {
        throw new IllegalArgumentException("label " + labels[n] + " at row " + n
            + " is outside 0.." + (classes - 1));
      }
      Y.set(n, labels[n], 1);
    }
    return Y;
  }

  /** The fraction of rows where predicted equals actual. */
  public static double accuracy(int[] predicted, int[] actual) {
    if (predicted.length != actual.length) {
      throw new IllegalArgumentException(predicted.length + " predictions for " + actual.length
          + " labels: the counts must match");
    }
    if (actual.length == 0) {
      throw new IllegalArgumentException("no labels to compare");
    }
    int hits = 0;
    for (int n = 0; n < actual.length; n++) {
      hits += predicted[n] == actual[n] ? 1 : 0;
    }
    return hits / (double) actual.length;
  }
}
