package dev.autodiff.nn;

import static com.google.common.base.Preconditions.checkArgument;

import org.ejml.data.DMatrixRMaj;

/** Class labels as one-hot rows, and accuracy of predicted labels. */
public final class OneHot {
  private OneHot() {}

  /** Y (N×classes) with Y[n][labels[n]] = 1, zeros elsewhere. */
  public static DMatrixRMaj encode(int[] labels, int classes) {
    checkArgument(classes > 0, "classes must be > 0, got %s", classes);
    DMatrixRMaj Y = new DMatrixRMaj(labels.length, classes);
    for (int n = 0; n < labels.length; n++) {
      checkArgument(labels[n] >= 0 && labels[n] < classes,
          "label %s at row %s is outside 0..%s", labels[n], n, classes - 1);
      Y.set(n, labels[n], 1);
    }
    return Y;
  }

  /** The fraction of rows where predicted equals actual. */
  public static double accuracy(int[] predicted, int[] actual) {
    checkArgument(predicted.length == actual.length,
        "%s predictions for %s labels: the counts must match", predicted.length, actual.length);
    checkArgument(actual.length > 0, "no labels to compare");
    int hits = 0;
    for (int n = 0; n < actual.length; n++) {
      hits += predicted[n] == actual[n] ? 1 : 0;
    }
    return hits / (double) actual.length;
  }
}
