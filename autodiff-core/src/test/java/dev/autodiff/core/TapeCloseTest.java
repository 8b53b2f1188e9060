package dev.autodiff.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autodiff.core.ops.Matrices;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * Closing a tape hands its matrices to the next tape on the thread: the same numbers as new
 * matrices would give, the same arrays when the shapes match, and a closed tape that says so.
 */
class TapeCloseTest {
  private final Random rng = new Random(11);
  private final DMatrixRMaj x = Matrices.uniform(rng, 6, 4, -1, 1);
  private final DMatrixRMaj w = Matrices.uniform(rng, 3, 4, -1, 1);
  private final DMatrixRMaj b = Matrices.uniform(rng, 1, 3, -1, 1);

  /** One layer's step: J = ½‖relu(X Wᵀ ⊕ b)‖² + ½‖W‖². */
  private static Node step(Tape tape, DMatrixRMaj x, DMatrixRMaj w, DMatrixRMaj b) {
    Node W = tape.variable("W", w);
    Node h = tape.constant("X", x).matmulTransB(W).add(tape.variable("b", b)).relu();
    return h.halfSquaredNorm().add(W.halfSquaredNorm());
  }

  @Test
  void theNextTapeTakesTheClosedOnesMatricesAndGetsTheSameNumbers() {
    Tape first = new Tape();
    Node J1 = step(first, x, w, b);
    Gradients g1 = first.backward(J1);
    Node W1 = first.nodes().get(0);
    DMatrixRMaj value = J1.value();
    DMatrixRMaj gradient = g1.get(W1);
    double j = J1.scalar();
    double[] expected = gradient.data.clone();
    first.close();

    // the same numbers, written over arrays that still hold them; then other numbers
    for (double scale : new double[] {1, 0.5}) {
      DMatrixRMaj ws = w.copy();
      ws.data[0] *= scale;
      try (Tape next = new Tape()) {
        Node J = step(next, x, ws, b);
        Gradients g = next.backward(J);
        Node W = next.nodes().get(0);
        Tape check = new Tape();
        Node Jc = step(check, x, ws, b);
        Gradients gc = check.backward(Jc);
        assertEquals(Jc.scalar(), J.scalar(), 0);
        assertArrayEquals(gc.get(check.nodes().get(0)).data, g.get(W).data, 0);
        if (scale == 1) {
          assertSame(value, J.value(), "J's value matrix was handed on");
          assertSame(gradient, g.get(W), "W's gradient buffer was handed on");
          assertEquals(j, J.scalar(), 0);
          assertArrayEquals(expected, g.get(W).data, 0);
        }
      }
    }
  }

  @Test
  void aClosedTapeSaysSoWhenRead() {
    Tape tape = new Tape();
    Node J = step(tape, x, w, b);
    Gradients g = tape.backward(J);
    Node W = tape.nodes().get(0);
    tape.close();
    tape.close(); // again: nothing
    assertTrue(tape.isClosed());
    IllegalStateException e = assertThrows(IllegalStateException.class, J::value);
    assertEquals(J.name() + " belongs to a closed tape: its value and gradient went to the next"
        + " tape; copy what you keep before closing", e.getMessage());
    assertThrows(IllegalStateException.class, J::scalar);
    e = assertThrows(IllegalStateException.class, () -> g.get(W));
    assertTrue(e.getMessage().startsWith("W belongs to a closed tape"), e.getMessage());
    e = assertThrows(IllegalStateException.class, () -> tape.backward(J));
    assertTrue(e.getMessage().startsWith("this tape is closed"), e.getMessage());
    assertThrows(IllegalStateException.class, tape::forward);
    assertThrows(IllegalStateException.class, () -> tape.constant("c", x));
    assertThrows(IllegalStateException.class, () -> W.add(W));
  }

  @Test
  void otherShapesGetNewMatrices() {
    Tape first = new Tape();
    Node J1 = step(first, x, w, b);
    DMatrixRMaj h1 = first.nodes().get(2).value(); // X Wᵀ, 6×3
    first.backward(J1);
    first.close();
    try (Tape next = new Tape()) {
      DMatrixRMaj x5 = Matrices.uniform(rng, 5, 4, -1, 1); // a smaller last batch
      Node J = step(next, x5, w, b);
      assertNotSame(h1, next.nodes().get(2).value());
      assertEquals(5, next.nodes().get(2).rows());
      Tape check = new Tape();
      assertEquals(step(check, x5, w, b).scalar(), J.scalar(), 0);
    }
  }

  @Test
  void aCustomOpsOwnMatrixIsNotHandedOn() {
    DMatrixRMaj kept = new DMatrixRMaj(1, 1);
    Op constantOne = new Op() {
      @Override
      public String name() {
        return "one";
      }

      @Override
      public DMatrixRMaj forward(Node... in) {
        kept.data[0] = 1;
        return kept; // the op's own matrix, reused by every call
      }

      @Override
      public void backward(DMatrixRMaj g, DMatrixRMaj y, Node[] in, DMatrixRMaj[] gx) {}
    };
    Tape first = new Tape();
    first.apply(constantOne, first.variable("w", w));
    first.close();
    try (Tape next = new Tape()) {
      Node v = next.variable("w", w);
      Node y = v.sum(); // at the custom op's place: must not get its matrix
      assertNotSame(kept, y.value());
    }
  }

  @Test
  void aSecondMatrixForOneNodeIsANewOne() {
    // a custom op may ask for scratch and for its value: the closed tape's matrix at the node's
    // place goes to the first request only
    List<DMatrixRMaj> given = new ArrayList<>();
    Op scratchThenValue = new Op() {
      @Override
      public String name() {
        return "scratchThenValue";
      }

      @Override
      public DMatrixRMaj forward(Node... in) {
        Tape t = in[0].tape();
        DMatrixRMaj scratch = t.newValue(3, 4);
        DMatrixRMaj y = t.newValue(3, 4);
        given.add(scratch);
        given.add(y);
        y.setTo(in[0].value());
        return y;
      }

      @Override
      public void backward(DMatrixRMaj g, DMatrixRMaj y, Node[] in, DMatrixRMaj[] gx) {}
    };
    for (int step = 0; step < 3; step++) {
      try (Tape t = new Tape()) {
        t.apply(scratchThenValue, t.variable("w", w));
      }
      assertNotSame(given.get(2 * step), given.get(2 * step + 1), "step " + step);
    }
    // from the second step on, the value is the one the first step's tape handed on
    assertSame(given.get(1), given.get(2));
  }

  @Test
  void aTapeLongerThanItsFirstArraysHandsOnEveryValue() throws Exception {
    // on a thread of its own, so that the first tape starts with nothing handed on: 100 ops take
    // the record and the value slots past their first sizes
    ExecutorService thread = Executors.newSingleThreadExecutor();
    try {
      List<Double> sums = thread.submit(() -> {
        List<Double> out = new ArrayList<>();
        List<DMatrixRMaj> values = new ArrayList<>();
        for (int step = 0; step < 3; step++) {
          try (Tape t = new Tape()) {
            Node y = t.variable("x", x);
            for (int i = 0; i < 100; i++) {
              y = y.scale(1.01);
            }
            out.add(y.sum().scalar());
            if (step > 0) { // the same matrices as the step before, at every node
              for (int i = 1; i <= 100; i++) {
                assertSame(values.get(i - 1), t.nodes().get(i).value(), "node " + i);
              }
            }
            values.clear();
            for (int i = 1; i <= 100; i++) {
              values.add(t.nodes().get(i).value());
            }
          }
        }
        return out;
      }).get();
      double expected = 0;
      for (double v : x.data) {
        expected += v;
      }
      expected *= Math.pow(1.01, 100);
      for (double s : sums) {
        assertEquals(expected, s, 1e-12 * Math.abs(expected) + 1e-12);
      }
    } finally {
      thread.shutdown();
    }
  }

  @Test
  void anotherThreadDoesNotTakeThem() throws Exception {
    Tape first = new Tape();
    Node J1 = step(first, x, w, b);
    DMatrixRMaj value = J1.value();
    first.close();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      DMatrixRMaj there = pool.submit(() -> {
        try (Tape t = new Tape()) {
          return step(t, x, w, b).value();
        }
      }).get();
      assertNotSame(value, there);
      // and only the thread that made a tape closes it
      Tape here = new Tape();
      Exception e = assertThrows(Exception.class, () -> pool.submit(here::close).get());
      assertTrue(e.getCause() instanceof IllegalStateException, e.toString());
    } finally {
      pool.shutdown();
    }
    try (Tape next = new Tape()) {
      assertSame(value, step(next, x, w, b).value());
    }
  }

  @Test
  void theCollectorMayTakeBackWhatAClosedTapeLeft() throws Exception {
    // in a JVM of 128 MiB: a closed tape leaves 60 MiB of values and gradients for the next one,
    // and the thread then needs 80 MiB for something else; held strongly, they would not fit
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
        LeftBehind.class.getName()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    assertEquals("80 MiB allocated after closing", out.strip());
  }

  /** The child JVM of the test above. */
  static final class LeftBehind {
    public static void main(String[] args) {
      step();
      List<double[]> kept = new ArrayList<>();
      for (int i = 0; i < 80 * 4; i++) {
        kept.add(new double[32 * 1024]); // 256 KiB each: small enough not to need regions of its own
      }
      System.out.println(kept.size() / 4 + " MiB allocated after closing");
    }

    /** A step whose tape is closed and gone when it returns: only the handed-on matrices stay. */
    private static void step() {
      try (Tape tape = new Tape()) {
        Node y = tape.variable("x", new DMatrixRMaj(1536, 1024)).scale(2).neg(); // 12 MiB each
        tape.backward(y.sum()); // gradients for x and both ops
      }
    }
  }
}
