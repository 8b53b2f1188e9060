package dev.autodiff.benchmarks;

/**
 * Tasks taking turns in blocks of about {@link #BLOCK_NANOS} each, the one to go first rotating from
 * round to round, so that a slow spell of the machine falls on all of them alike. Each block's size
 * follows the task's last measured speed.
 */
final class Rotation {
  static final long BLOCK_NANOS = 20_000_000;

  private final Runnable[] tasks;
  private final int[] block;
  private int round;

  Rotation(Runnable... tasks) {
    this.tasks = tasks;
    block = new int[tasks.length];
    java.util.Arrays.fill(block, 1);
  }

  /** Runs a block of every task; adds each one's nanoseconds and runs to the tally. */
  void round(Tally tally) {
    long[] nanos = tally.nanos;
    long[] runs = tally.runs;
    int first = round++ % tasks.length;
    for (int j = 0; j < tasks.length; j++) {
      int i = (first + j) % tasks.length;
      Runnable task = tasks[i];
      int n = block[i];
      long start = System.nanoTime();
      for (int k = 0; k < n; k++) {
        task.run();
      }
      long took = System.nanoTime() - start;
      nanos[i] += took;
      runs[i] += n;
      // resized as it runs: the first blocks, one run each, run while the JIT compiles
      block[i] = (int) Math.max(1, Math.min(1 << 20, BLOCK_NANOS * n / Math.max(took, 1)));
    }
  }
}
