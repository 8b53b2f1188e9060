package dev.autodiff.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.util.function.UnaryOperator;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Time and memory per node of 1,000,000-op chains, forward and backward: y = x·(1 + 1e-6)ⁿ by
 * {@code scale} (as in TapeTest) and y = (−1)ⁿ x by {@code neg}, the cheapest op, so that the
 * tape's own cost shows. A measurement, not a test: it runs only when asked for and prints the
 * fastest of five runs after a warm-up, and the cost of anomaly detection on 100,000 ops.
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
    measure("scale", N, false, y -> y.scale(1 + 1e-6), Math.pow(1 + 1e-6, N));
    measure("neg", N, false, Node::neg, 1);
    measure("neg, anomaly detection on,", N / 10, true, Node::neg, 1);
  }

  static void measure(String label, int n, boolean anomalies, UnaryOperator<Node> op,
      double expected) {
    double[] best = {Double.MAX_VALUE, Double.MAX_VALUE};
    double[] bytes = new double[4];
    for (int run = 0; run < 6; run++) {
      double[] r = once(n, anomalies, op, expected);
      if (run > 0) { // the first run warms up the JIT
        best[0] = Math.min(best[0], r[0]);
        best[1] = Math.min(best[1], r[1]);
      }
      System.arraycopy(r, 2, bytes, 0, 4);
    }
    System.out.printf("%s %,d ops: forward %.0f ns/node, backward %.0f ns/node (fastest of 5);"
            + " allocated %.0f B/node forward, %.0f B/node backward; retained %.0f B/node by the"
            + " tape, %.0f B/node by the gradients%n",
        label, n, best[0], best[1], bytes[0], bytes[1], bytes[2], bytes[3]);
  }

  /** {forward ns/node, backward ns/node, allocated B/node forward, backward, retained tape, grads}. */
  static double[] once(int n, boolean anomalies, UnaryOperator<Node> op, double expected) {
    long heap0 = retainedHeap();
    long alloc0 = allocated();
    long t0 = System.nanoTime();
    Tape tape = new Tape().detectAnomalies(anomalies);
    Node x = tape.variable("x", new DMatrixRMaj(1, 1, true, 1));
    Node y = x;
    for (int i = 0; i < n; i++) {
      y = op.apply(y);
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
    assertEquals(expected, g.get(x).get(0, 0), 1e-9 * expected);
    Reference.reachabilityFence(tape);
    Reference.reachabilityFence(g);
    return new double[] {(double) (t1 - t0) / n, (double) (t3 - t2) / n,
        (double) (alloc1 - alloc0) / n, (double) (alloc3 - alloc2) / n,
        (double) (heap1 - heap0) / n, (double) (heap3 - heap1) / n};
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
