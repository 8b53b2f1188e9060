package dev.autodiff.core.check;

import dev.autodiff.core.check.Differences.Entry;
import java.util.List;

/**
 * What a failed comparison's pattern says about the bug, read from all the compared values of a
 * variable: a gradient that is missing, transposed, another variable's, or off by a constant factor
 * (the sign included). Empty when no pattern fits.
 */
final class Diagnosis {
  private Diagnosis() {}

  /** One variable's compared values. */
  record Compared(String name, int rows, int cols, boolean everyElement, List<Entry> entries) {}

  static String of(Compared v, List<Compared> all, double absTol, double relTol) {
    List<Entry> e = v.entries();
    boolean anyNumeric = e.stream().anyMatch(x -> Math.abs(x.numeric()) > absTol);
    if (anyNumeric && e.stream().allMatch(x -> Math.abs(x.analytic()) <= absTol)) {
      return "the analytic gradient is 0 where the numeric one is not: a contribution is missing"
          + " (a vjp that returns null or zeros, or an input the op never differentiates)";
    }
    if (v.everyElement()) {
      for (Compared other : all) {
        if (other != v && other.everyElement() && other.rows() == v.rows()
            && other.cols() == v.cols() && matches(e, other.entries(), false, v, absTol, relTol)) {
          return v.name() + "'s analytic gradient equals " + other.name()
              + "'s numeric gradient: the gradient of " + other.name() + " is given for "
              + v.name();
        }
      }
      if (v.rows() == v.cols() && v.rows() > 1 && matches(e, e, true, v, absTol, relTol)) {
        return "the analytic gradient equals the numeric one transposed: a missing or extra"
            + " transpose (e.g. g·b where g·bᵀ belongs)";
      }
    }
    Entry largest = null;
    for (Entry x : e) {
      if (largest == null || Math.abs(x.numeric()) > Math.abs(largest.numeric())) {
        largest = x;
      }
    }
    if (largest == null || Math.abs(largest.numeric()) <= absTol) {
      return "";
    }
    double ratio = largest.analytic() / largest.numeric();
    for (Entry x : e) {
      if (!close(x.analytic(), ratio * x.numeric(), absTol, relTol)) {
        return "";
      }
    }
    String where = e.size() == 1 ? "" : e.get(0).isDirection() ? " along every direction"
        : " on every element compared";
    if (Math.abs(ratio + 1) <= 1e-3) {
      return "analytic = −numeric" + where + ": the sign is flipped";
    }
    return String.format("analytic = %.6g × numeric%s: a constant factor (a scale, ½, 2 or n too"
        + " many or too few)", ratio, where);
  }

  /** True when a's analytic values equal b's numeric ones, element for element or transposed. */
  private static boolean matches(List<Entry> a, List<Entry> b, boolean transposed, Compared shape,
      double absTol, double relTol) {
    if (a.size() != b.size()) {
      return false;
    }
    boolean anyNonzero = false;
    for (Entry x : a) {
      int k = x.index();
      int other = transposed ? (k % shape.cols()) * shape.cols() + k / shape.cols() : k;
      double n = b.get(other).numeric();
      if (!close(x.analytic(), n, absTol, relTol)) {
        return false;
      }
      anyNonzero |= Math.abs(n) > absTol;
    }
    return anyNonzero;
  }

  static boolean close(double a, double b, double absTol, double relTol) {
    return Math.abs(a - b) <= absTol + relTol * Math.max(Math.abs(a), Math.abs(b));
  }
}
