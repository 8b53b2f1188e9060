package dev.autodiff.core.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleSupplier;
import org.ejml.data.DMatrixRMaj;

/**
 * Central differences (f(θ + εu) − f(θ − εu)) / 2ε of a function that reads matrices the caller
 * owns, perturbed in place one element or one direction at a time and restored in {@code finally}.
 */
final class Differences {
  private Differences() {}

  /** One compared value: an element's index, or a direction's as −(d + 1); analytic, numeric. */
  record Entry(int index, double analytic, double numeric) {
    boolean isDirection() {
      return index < 0;
    }

    int direction() {
      return -index - 1;
    }
  }

  /**
   * Every element of m, or k of them drawn without repetition (all when k ≥ m's size), in index
   * order. m Modified during the call, restored before it returns; analytic Not modified.
   */
  static List<Entry> elements(DMatrixRMaj m, DMatrixRMaj analytic, int k, Random random,
      double epsilon, DoubleSupplier f) {
    int n = m.getNumElements();
    int[] picked = k >= n ? allOf(n) : sample(n, k, random);
    List<Entry> out = new ArrayList<>(picked.length);
    for (int index : picked) {
      out.add(new Entry(index, analytic.data[index], element(m, index, epsilon, f)));
    }
    return out;
  }

  /** ∂f/∂m[index] by central differences with step epsilon. m Modified, then restored. */
  static double element(DMatrixRMaj m, int index, double epsilon, DoubleSupplier f) {
    double saved = m.data[index];
    try {
      m.data[index] = saved + epsilon;
      double plus = f.getAsDouble();
      m.data[index] = saved - epsilon;
      double minus = f.getAsDouble();
      return (plus - minus) / (2 * epsilon);
    } finally {
      m.data[index] = saved;
    }
  }

  /**
   * k random directions u (entries uniform in [−1, 1]): ⟨analytic, u⟩ against the central
   * difference along u, as PyTorch's fast mode does. m Modified during the call, then restored.
   */
  static List<Entry> directions(DMatrixRMaj m, DMatrixRMaj analytic, int k, Random random,
      double epsilon, DoubleSupplier f) {
    int n = m.getNumElements();
    double[] saved = new double[n];
    System.arraycopy(m.data, 0, saved, 0, n);
    List<Entry> out = new ArrayList<>(k);
    try {
      for (int d = 0; d < k; d++) {
        double[] u = new double[n];
        double along = 0;
        for (int i = 0; i < n; i++) {
          u[i] = 2 * random.nextDouble() - 1;
          along += analytic.data[i] * u[i];
        }
        for (int i = 0; i < n; i++) {
          m.data[i] = saved[i] + epsilon * u[i];
        }
        double plus = f.getAsDouble();
        for (int i = 0; i < n; i++) {
          m.data[i] = saved[i] - epsilon * u[i];
        }
        double minus = f.getAsDouble();
        out.add(new Entry(-d - 1, along, (plus - minus) / (2 * epsilon)));
      }
    } finally {
      System.arraycopy(saved, 0, m.data, 0, n);
    }
    return out;
  }

  private static int[] allOf(int n) {
    int[] all = new int[n];
    for (int i = 0; i < n; i++) {
      all[i] = i;
    }
    return all;
  }

  /** k distinct indices below n, ascending: the first k of a partial Fisher–Yates shuffle. */
  private static int[] sample(int n, int k, Random random) {
    int[] all = allOf(n);
    for (int i = 0; i < k; i++) {
      int j = i + random.nextInt(n - i);
      int t = all[i];
      all[i] = all[j];
      all[j] = t;
    }
    int[] picked = java.util.Arrays.copyOf(all, k);
    java.util.Arrays.sort(picked);
    return picked;
  }
}
