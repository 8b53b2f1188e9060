package dev.autodiff.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every kind of bad input gets an error that names what is wrong: op, nodes, shapes, values. */
class BadInputTest {
  final Tape tape = new Tape();

  Node var(String name, int rows, int cols) {
    return tape.variable(name, new DMatrixRMaj(rows, cols));
  }

  static String message(Class<? extends Throwable> type, Runnable r) {
    return assertThrows(type, r::run).getMessage();
  }

  static Stream<Arguments> broadcastOps() {
    return Stream.of(
        Arguments.of("add", (BiFunction<Node, Node, Node>) Node::add),
        Arguments.of("sub", (BiFunction<Node, Node, Node>) Node::sub),
        Arguments.of("mul", (BiFunction<Node, Node, Node>) Node::mul),
        Arguments.of("div", (BiFunction<Node, Node, Node>) Node::div));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("broadcastOps")
  void everyBroadcastFormThatDoesNotFitIsNamed(String op, BiFunction<Node, Node, Node> f) {
    Node A = var("A", 3, 2);
    String allowed = " (allowed: equal shapes, or 1×n, m×1, 1×1 against m×n)";
    // m×n against p×n, m×q and p×q
    assertEquals(op + ": cannot broadcast A (3×2) with B (2×2): rows 3 and 2 differ and neither is 1"
        + allowed, message(IllegalArgumentException.class, () -> f.apply(A, var("B", 2, 2))));
    assertEquals(op + ": cannot broadcast A (3×2) with C (3×3): columns 2 and 3 differ and neither"
        + " is 1" + allowed, message(IllegalArgumentException.class,
            () -> f.apply(A, var("C", 3, 3))));
    assertEquals(op + ": cannot broadcast A (3×2) with D (2×3): rows 3 and 2 and columns 2 and 3"
        + " differ and none is 1" + allowed, message(IllegalArgumentException.class,
            () -> f.apply(A, var("D", 2, 3))));
    // a row or a column of the wrong length, on either side
    assertEquals(op + ": cannot broadcast r (1×3) with A (3×2): columns 3 and 2 differ and neither"
        + " is 1" + allowed, message(IllegalArgumentException.class,
            () -> f.apply(var("r", 1, 3), A)));
    assertEquals(op + ": cannot broadcast A (3×2) with c (2×1): rows 3 and 2 differ and neither is"
        + " 1" + allowed, message(IllegalArgumentException.class,
            () -> f.apply(A, var("c", 2, 1))));
  }

  @Test
  void matrixProductsNameBothOperandsAndTheInnerDimensions() {
    Node W = var("W", 3, 2);
    Node x = var("x", 3, 1);
    assertEquals("matmul: cannot multiply W (3×2) by x (3×1): inner dimensions 2 and 3 differ",
        message(IllegalArgumentException.class, () -> W.matmul(x)));
    assertEquals("matmulTransB: cannot multiply W (3×2) by the transpose of x (3×1): inner"
        + " dimensions 2 and 1 differ", message(IllegalArgumentException.class,
            () -> W.matmulTransB(x)));
  }

  @Test
  void anOpGivenTheWrongNumberOfInputsSaysSo() {
    Node a = var("a", 1, 1);
    assertEquals("add takes 2 inputs, got 1",
        message(IllegalArgumentException.class, () -> tape.apply(Add.INSTANCE, a)));
    assertEquals("tanh takes 1 input, got 2",
        message(IllegalArgumentException.class, () -> tape.apply(Tanh.INSTANCE, a, a)));
    assertEquals("add: input 1 is null",
        message(NullPointerException.class, () -> tape.apply(Add.INSTANCE, a, null)));
  }

  @Test
  void backwardFromANonScalarNeedsASeedOfItsShape() {
    Node v = var("v", 2, 3);
    assertEquals("backward: v (2×3) is not 1×1; pass a seed gradient of its shape to"
        + " backward(node, seed)", message(IllegalArgumentException.class,
            () -> tape.backward(v)));
    assertEquals("backward: the seed for v must be 2×3, got 3×2", message(
        IllegalArgumentException.class, () -> tape.backward(v, new DMatrixRMaj(3, 2))));
    assertEquals("backward: the seed for v must be 2×3, got 0×0", message(
        IllegalArgumentException.class, () -> tape.backward(v, new DMatrixRMaj(0, 0))));
    assertEquals("seed", message(NullPointerException.class, () -> tape.backward(v, null)));
  }

  @Test
  void nodesOfTwoTapesAreNotMixed() {
    Node a = var("a", 1, 1);
    Tape other = new Tape();
    Node b = other.variable("b", new DMatrixRMaj(1, 1, true, 2));
    assertEquals("mul: b belongs to another tape; nodes of two tapes cannot be mixed",
        message(IllegalArgumentException.class, () -> a.mul(b)));
    assertEquals("matmul: b belongs to another tape; nodes of two tapes cannot be mixed",
        message(IllegalArgumentException.class, () -> a.matmul(b)));
    assertEquals("backward: b belongs to another tape",
        message(IllegalArgumentException.class, () -> tape.backward(b)));
    Gradients g = tape.backward(a.square());
    assertEquals("b has no gradient: it belongs to another tape",
        message(IllegalArgumentException.class, () -> g.get(b)));
  }

  @Test
  void leavesNeedAValueWithEntries() {
    assertEquals("variable W: a leaf needs at least one entry, got 0×3",
        message(IllegalArgumentException.class, () -> var("W", 0, 3)));
    assertEquals("constant n0: a leaf needs at least one entry, got 2×0",
        message(IllegalArgumentException.class, () -> tape.constant(new DMatrixRMaj(2, 0))));
    assertEquals("value", message(NullPointerException.class, () -> tape.variable("W", null)));
    assertEquals("name", message(NullPointerException.class,
        () -> tape.variable(null, new DMatrixRMaj(1, 1))));
  }

  @Test
  void aCustomOpMustReturnAValueWithEntries() {
    Op empty = new Op() {
      @Override
      public String name() {
        return "empty";
      }

      @Override
      public DMatrixRMaj forward(Node... x) {
        return new DMatrixRMaj(0, 2);
      }

      @Override
      public void backward(DMatrixRMaj g, DMatrixRMaj y, Node[] x, DMatrixRMaj[] gx) {}
    };
    Node a = var("a", 1, 1);
    assertEquals("empty: forward returned an empty 0×2 matrix",
        message(IllegalStateException.class, () -> a.apply(empty)));
    assertEquals(1, tape.size(), "nothing was recorded");
  }

  @Test
  void scaleNeedsAFiniteFactor() {
    Node a = var("a", 1, 1);
    assertEquals("scale: α must be finite, got NaN",
        message(IllegalArgumentException.class, () -> a.scale(Double.NaN)));
    assertEquals("scale: α must be finite, got Infinity",
        message(IllegalArgumentException.class, () -> a.scale(Double.POSITIVE_INFINITY)));
  }

  @Test
  void scalarOfANonScalarNodeSaysItsShape() {
    assertEquals("v (2×1) is not 1×1",
        message(IllegalStateException.class, () -> var("v", 2, 1).scalar()));
  }

  @Test
  void aTapeMayBeUsedFromAnotherThreadOneAtATime() throws Exception {
    Node x = tape.variable("x", new DMatrixRMaj(1, 1, true, 1));
    Node y = x.exp();
    // a notebook runs each cell on a pooled thread: recording and backward work there too
    Node z = CompletableFuture.supplyAsync(() -> y.mul(x)).get();
    assertEquals(Math.E + Math.E, CompletableFuture.supplyAsync(() -> tape.backward(z)).get()
        .get(x).get(0, 0), 1e-15);
    assertEquals(3, tape.size());
  }

  @Test
  void aTapeUsedByTwoThreadsAtOnceSaysSoAndRecordsNothing() throws Exception {
    Node x = tape.variable("x", new DMatrixRMaj(1, 1, true, 1));
    java.util.concurrent.CountDownLatch inside = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    // an op whose forward holds the tape until released: the other thread arrives meanwhile
    Op slow = new Op() {
      @Override
      public String name() {
        return "slow";
      }

      @Override
      public DMatrixRMaj forward(Node... in) {
        inside.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return in[0].value().copy();
      }
    };
    CompletableFuture<Node> first = CompletableFuture.supplyAsync(() -> x.apply(slow));
    inside.await();
    for (Runnable r : new Runnable[] {x::exp, () -> tape.backward(x.sum()),
        () -> tape.variable("z", new DMatrixRMaj(1, 1))}) {
      IllegalStateException e = assertThrows(IllegalStateException.class, r::run);
      assertEquals(true, e.getMessage().startsWith("this tape is in use by another thread ("),
          e.getMessage());
      assertEquals(true, e.getMessage().endsWith("): a tape may be used from any thread, but by"
          + " one at a time"), e.getMessage());
    }
    release.countDown();
    first.get();
    assertEquals(2, tape.size(), "nothing was recorded by the thread turned away");
  }
}
