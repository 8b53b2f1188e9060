package dev.autodiff.benchmarks;

import java.util.Arrays;

/**
 * The nanoseconds and runs of each task of a {@link Rotation} over one measured iteration: what the
 * interleaved benchmarks turn into their secondary results.
 */
final class Tally {
  final long[] nanos;
  final long[] runs;

  Tally(int tasks) {
    nanos = new long[tasks];
    runs = new long[tasks];
  }

  /** Back to nothing, for a new iteration. */
  void clear() {
    Arrays.fill(nanos, 0);
    Arrays.fill(runs, 0);
  }

  /** µs per run of task i; NaN before it ran. */
  double micros(int i) {
    return runs[i] == 0 ? Double.NaN : nanos[i] / 1e3 / runs[i];
  }

  /** Task i's time per run ÷ task j's, in the same seconds. */
  double ratio(int i, int j) {
    return micros(i) / micros(j);
  }
}
