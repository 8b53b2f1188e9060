package dev.autodiff.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Time and memory per node of a 1,000,000-op chain y = x·(1 + 1e-6)ⁿ, forward and backward.
 * A measurement, not a test: it runs only when asked for, and prints one line per run.
 *
 * <pre>
 * mvn -B -q -pl autodiff-core -am test -Dtest=DeepChainMeasurement \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dautodiff.measure=true
 * </pre>
 */
@EnabledIfSystemProperty(named = "autodiff.measure", matches = "true")
class DeepChainMeasurement {
  static final int N = 1_000_000;
  static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  @Test
  void measure() {
    for (int run = 0; run < 6; run++) {
      measureOnce(N, false, run == 0 ? "warm-up " : "");
    }
    measureOnce(N / 10, true, "anomaly detection on, ");

  }

  static void measureOnce(int n, boolean anomalies, String label) {
    long heap0 = retainedHeap();
    long alloc0 = allocated();
    long t0 = System.nanoTime();
    Tape tape = new Tape().detectAnomalies(anomalies);
    Node x = tape.variable("x", new DMatrixRMaj(1, 1, true, 1));
    Node y = x;
    for (int i = 0; i < n; i++) {
      y = y.scale(1 + 1e-6);
    }
    long t1 = System.nanoTime();
    long alloc1 = allocated();
    long heap1 = retainedHeap();
    long alloc2 = allocated();
    long t2 = System.nanoTime();
    Gradients g = tape.backward(y);
    long t3 = System.nanoTime();
    long alloc3 = allocated();
    long heap3 = retainedHeap();
    double expected = Math.pow(1 + 1e-6, n);
    assertEquals(expected, g.get(x).get(0, 0), 1e-9 * expected);
    Reference.reachabilityFence(tape);
    Reference.reachabilityFence(g);
    System.out.printf("%s%,d ops: forward %.0f ms (%.0f ns/node), backward %.0f ms (%.0f ns/node);"
            + " allocated %.0f B/node forward, %.0f B/node backward;"
            + " retained %.0f B/node tape, %.0f B/node gradients%n",
        label, n, (t1 - t0) / 1e6, (double) (t1 - t0) / n, (t3 - t2) / 1e6,
        (double) (t3 - t2) / n, (double) (alloc1 - alloc0) / n, (double) (alloc3 - alloc2) / n,
        (double) (heap1 - heap0) / n, (double) (heap3 - heap1) / n);
  }

  static long allocated() {
    return THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
  }

  static long retainedHeap() {
    Runtime r = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return r.totalMemory() - r.freeMemory();
  }
}
