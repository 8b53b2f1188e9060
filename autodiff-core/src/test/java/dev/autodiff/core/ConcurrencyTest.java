package dev.autodiff.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;


import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/** Independent tapes on several threads at once give bit for bit what the same work gives serially. */
class ConcurrencyTest {
  static final int THREADS = 4;
  static final int TASKS = 16;

  /**
   * A batched two-layer network with a softmax cross-entropy and an L2 term, built on its own tape
   * from a seed: J and every parameter gradient, as the bits of the doubles.
   */
  static long[] work(long seed) {
    Random rng = new Random(seed);
    Tape tape = new Tape();
    Node X = tape.constant("X", Matrices.uniform(rng, 32, 8, -1, 1));
    Node W1 = tape.variable("W1", Matrices.uniform(rng, 16, 8, -0.5, 0.5));
    Node b1 = tape.variable("b1", Matrices.uniform(rng, 1, 16, -0.1, 0.1));
    Node W2 = tape.variable("W2", Matrices.uniform(rng, 4, 16, -0.5, 0.5));
    Node b2 = tape.variable("b2", Matrices.uniform(rng, 1, 4, -0.1, 0.1));
    DMatrixRMaj oneHot = new DMatrixRMaj(32, 4);
    for (int i = 0; i < 32; i++) {
      oneHot.set(i, rng.nextInt(4), 1);
    }
    Node h = X.matmulTransB(W1).add(b1).tanh();
    Node z = h.matmulTransB(W2).add(b2);
    Node L = z.logSoftmax().mul(tape.constant("Y", oneHot)).mean().neg();
    Node J = L.add(W1.frobeniusNorm().square().add(W2.frobeniusNorm().square()).scale(1e-3));
    Gradients g = tape.backward(J);
    List<Double> out = new ArrayList<>();
    out.add(J.scalar());
    for (Node p : new Node[] {W1, b1, W2, b2}) {
      for (double d : g.get(p).data) {
        out.add(d);
      }
    }
    return out.stream().mapToLong(Double::doubleToRawLongBits).toArray();
  }

  @Test
  void fourThreadsGiveBitIdenticalResultsToSerialWork() throws Exception {
    long[][] serial = new long[TASKS][];
    for (int t = 0; t < TASKS; t++) {
      serial[t] = work(t);
    }
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<long[][]>> futures = new ArrayList<>();
      for (int t = 0; t < TASKS; t++) {
        long seed = t;
        futures.add(pool.submit(() -> {
          start.await();
          // repeat the task so the threads overlap for many tapes
          long[][] runs = new long[20][];
          for (int r = 0; r < runs.length; r++) {
            runs[r] = work(seed);
          }
          return runs;
        }));
      }
      start.countDown();
      for (int t = 0; t < TASKS; t++) {
        for (long[] run : futures.get(t).get(2, TimeUnit.MINUTES)) {
          assertArrayEquals(serial[t], run, "task " + t);
        }
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1 + 16 * 8 + 16 + 4 * 16 + 4, serial[0].length);
  }
}
