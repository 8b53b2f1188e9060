package dev.autodiff.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Supplier;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A plan run on new leaf values gives the values of a tape recorded anew on them bit for bit, and
 * its gradients to rounding (exactly, but where a product adds a term as β·C), for every op of the
 * table; run twice, it gives the same bits.
 */
class PlanTest {

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.autodiff.core.OpGradientTest#cases")
  void aPlanEqualsAFreshTape(OpGradientTest.Case c) {
    Random rng = new Random(c.op().hashCode());
    DMatrixRMaj[] before = inputs(c, rng);
    DMatrixRMaj[] after = inputs(c, rng);
    DMatrixRMaj[] leaves = new DMatrixRMaj[before.length];
    for (int i = 0; i < leaves.length; i++) {
      leaves[i] = before[i].copy();
    }
    Graph recorded = Graph.record(new Tape(), c.f(), leaves, null);
    Plan plan = Plan.compile(recorded.J, List.of(recorded.x), List.of(recorded.y));
    plan.run();
    for (int i = 0; i < leaves.length; i++) {
      leaves[i].setTo(after[i]);
    }
    Gradients g = plan.run();

    Graph anew = Graph.record(new Tape(), c.f(), after, recorded.readout);
    Gradients expected = anew.J.tape().backward(anew.J);
    assertArrayEquals(anew.J.value().data, plan.value(recorded.J).data, 0, "J");
    assertArrayEquals(anew.y.value().data, plan.value(recorded.y).data, 0, "y");
    double[][] first = new double[leaves.length][];
    for (int i = 0; i < leaves.length; i++) {
      assertEquals(expected.has(anew.x[i]), g.has(recorded.x[i]), "x" + i + " has a gradient");
      if (g.has(recorded.x[i])) {
        assertClose(expected.get(anew.x[i]), g.get(recorded.x[i]), "∂J/∂x" + i);
        first[i] = g.get(recorded.x[i]).data.clone();
      }
    }
    Gradients again = plan.run();
    for (int i = 0; i < leaves.length; i++) {
      if (first[i] != null) {
        assertArrayEquals(first[i], again.get(recorded.x[i]).data, 0, "a second run, bit for bit");
      }
    }
  }

  /** |a − e| ≤ 1e-12 of the largest entry of e, for every entry. */
  static void assertClose(DMatrixRMaj expected, DMatrixRMaj actual, String what) {
    assertClose(expected, actual, () -> what);
  }

  static void assertClose(DMatrixRMaj expected, DMatrixRMaj actual, Supplier<String> what) {
    assertEquals(expected.numRows, actual.numRows, what);
    assertEquals(expected.numCols, actual.numCols, what);
    double scale = 0;
    for (int k = 0; k < expected.getNumElements(); k++) {
      scale = Math.max(scale, Math.abs(expected.data[k]));
    }
    for (int k = 0; k < expected.getNumElements(); k++) {
      int entry = k;
      assertEquals(expected.data[k], actual.data[k], 1e-12 * scale,
          () -> what.get() + " entry " + entry);
    }
  }

  /** The op under test read out as J = Σ y ⊙ R, like the gradient table. */
  private record Graph(Node J, Node y, Node[] x, DMatrixRMaj readout) {
    static Graph record(Tape tape, Function<List<Node>, Node> f, DMatrixRMaj[] values,
        DMatrixRMaj readout) {
      List<Node> v = new ArrayList<>();
      for (int i = 0; i < values.length; i++) {
        v.add(tape.variable("x" + i, values[i]));
      }
      Node y = f.apply(v);
      DMatrixRMaj r = readout != null ? readout
          : Matrices.uniform(new Random(7), y.rows(), y.cols(), -1, 1);
      return new Graph(y.mul(tape.constant("R", r)).sum(), y, v.toArray(new Node[0]), r);
    }
  }

  private static DMatrixRMaj[] inputs(OpGradientTest.Case c, Random rng) {
    DMatrixRMaj[] x = new DMatrixRMaj[c.shapes().length];
    for (int i = 0; i < x.length; i++) {
      x[i] = Matrices.uniform(rng, c.shapes()[i][0], c.shapes()[i][1], c.lo(), c.hi());
    }
    return x;
  }

  /** A two-layer relu network with J = ½‖Y − V‖² + λ(½‖W1‖² + ½‖W2‖²), as nn's objective builds it. */
  private static final class Network {
    final Random rng = new Random(5);
    final DMatrixRMaj x = Matrices.uniform(rng, 8, 6, -1, 1);
    final DMatrixRMaj y = Matrices.uniform(rng, 8, 3, -1, 1);
    final DMatrixRMaj w1 = Matrices.uniform(rng, 5, 6, -1, 1);
    final DMatrixRMaj b1 = Matrices.uniform(rng, 1, 5, -1, 1);
    final DMatrixRMaj w2 = Matrices.uniform(rng, 3, 5, -1, 1);
    final DMatrixRMaj b2 = Matrices.uniform(rng, 1, 3, -1, 1);
    final Tape tape = new Tape();
    final Node W1 = tape.variable("W1", w1);
    final Node B1 = tape.variable("b1", b1);
    final Node W2 = tape.variable("W2", w2);
    final Node B2 = tape.variable("b2", b2);
    final Node J;

    Network(Function<Node, Node> penalty) {
      Node h = tape.constant("X", x).matmulTransB(W1).add(B1).relu().named("h");
      Node v = h.matmulTransB(W2).add(B2);
      Node L = tape.constant("Y", y).sub(v).halfSquaredNorm();
      J = L.add(penalty.apply(W1).add(penalty.apply(W2)).scale(0.01));
    }

    Plan plan() {
      return Plan.compile(J, W1, B1, W2, B2);
    }
  }

  @Test
  void theRewritesFoldThePenaltyAndFuseBiasAndRelu() {
    Network net = new Network(Node::halfSquaredNorm);
    String plan = net.plan().toString();
    assertTrue(plan.contains("+ β·"), plan);
    assertTrue(plan.contains("relu(") && plan.contains(" + b1)"), plan);
    assertTrue(plan.contains("maskedBy(") && plan.contains(", h)"), plan);
  }

  @Test
  void theLiteralPenaltyIsFoldedToo() {
    Network net = new Network(w -> w.frobeniusNorm().square().scale(0.5));
    Network reference = new Network(Node::halfSquaredNorm);
    Gradients g = net.plan().run();
    Gradients r = reference.plan().run();
    assertClose(r.get(reference.W1), g.get(net.W1), "∂J/∂W1");
    String plan = net.plan().toString();
    assertEquals(2, plan.split("\\+ β·", -1).length - 1, plan);
  }

  @Test
  void aPlanGivesTheEagerGradientsAndRunsWithoutAllocating() {
    Network net = new Network(Node::halfSquaredNorm);
    Plan plan = net.plan();
    Gradients eager = net.tape.backward(net.J);
    Gradients g = plan.run();
    for (Node v : new Node[] {net.W1, net.B1, net.W2, net.B2}) {
      assertClose(eager.get(v), g.get(v), v.name());
    }
    com.sun.management.ThreadMXBean bean =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    for (int i = 0; i < 200; i++) { // compiled
      plan.run();
    }
    long before = bean.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < 100; i++) {
      plan.run();
    }
    long bytes = bean.getCurrentThreadAllocatedBytes() - before;
    assertTrue(bytes < 1000, bytes + " bytes allocated by 100 runs");
  }

  /**
   * An embedding recorded once reads its ids from their node at every run: new ids in the same
   * buffer gather new rows, and the table's gradient goes to them, as on a tape recorded anew.
   */
  @Test
  void gatheredRowsFollowTheIdsOfEachRun() {
    DMatrixRMaj table = Matrices.uniform(new Random(3), 5, 2, -1, 1);
    DMatrixRMaj r = Matrices.uniform(new Random(4), 6, 2, -1, 1);
    DMatrixRMaj ids = new DMatrixRMaj(new double[][] {{0, 1, 2}, {2, 3, 4}});
    Tape tape = new Tape();
    Node E = tape.variable("E", table);
    Node y = E.gatherRows(tape.constant("ids", ids));
    Node J = y.tanh().mul(tape.constant(r)).sum();
    Plan plan = Plan.compile(J, List.of(E), List.of(y));
    plan.run();
    for (double[] next : new double[][] {{4, 4, 0, 1, 0, 3}, {3, 2, 1, 0, 1, 2}}) {
      System.arraycopy(next, 0, ids.data, 0, next.length);
      Gradients g = plan.run();
      Tape anew = new Tape();
      Node E2 = anew.variable("E", table);
      Node y2 = E2.gatherRows(anew.constant("ids", ids.copy()));
      Node J2 = y2.tanh().mul(anew.constant(r)).sum();
      assertArrayEquals(y2.value().data, plan.value(y).data, 0);
      DMatrixRMaj dE = g.get(E); // a buffer of the plan, maybe over a longer array
      assertArrayEquals(anew.backward(J2).get(E2).data,
          java.util.Arrays.copyOf(dE.data, dE.getNumElements()), 0);
    }
    ids.data[5] = 5;
    assertEquals("gatherRowsAt: id 5 of ids at (1, 2) is not a row of the 5 (0 to 4) of E (5×2)",
        assertThrows(IllegalArgumentException.class, plan::run).getMessage());
  }

  @Test
  void aLeafThatChangedShapeIsRejected() {
    Tape tape = new Tape();
    DMatrixRMaj w = new DMatrixRMaj(2, 3);
    Node W = tape.variable("W", w);
    Plan plan = Plan.compile(W.relu().sum(), W);
    w.reshape(3, 2);
    IllegalStateException e = assertThrows(IllegalStateException.class, plan::run);
    assertEquals("plan: W was recorded as 2×3 and is now 3×2; a plan keeps every shape",
        e.getMessage());
  }

  @Test
  void aCustomOpIsRecomputedThroughItsForward() {
    Tape tape = new Tape();
    DMatrixRMaj x = new DMatrixRMaj(new double[][] {{1, 2}});
    Node X = tape.variable("x", x);
    Node y = X.apply(new Op() {
      @Override
      public String name() {
        return "cube";
      }

      @Override
      public DMatrixRMaj forward(Node... in) {
        DMatrixRMaj a = in[0].value();
        DMatrixRMaj out = new DMatrixRMaj(a.numRows, a.numCols);
        for (int k = 0; k < a.getNumElements(); k++) {
          out.data[k] = a.data[k] * a.data[k] * a.data[k];
        }
        return out;
      }

      @Override
      public void backward(DMatrixRMaj g, DMatrixRMaj out, Node[] in, DMatrixRMaj[] gx) {
        for (int k = 0; k < out.getNumElements(); k++) {
          gx[0].data[k] += 3 * in[0].value().data[k] * in[0].value().data[k] * g.data[k];
        }
      }
    });
    Node J = y.sum();
    Plan plan = Plan.compile(J, List.of(X), List.of(y));
    x.data[1] = 3;
    Gradients g = plan.run();
    assertArrayEquals(new double[] {1, 27}, plan.value(y).data, 0);
    assertEquals(28, plan.value(J).get(0, 0), 0);
    assertArrayEquals(new double[] {3, 27}, g.get(X).data, 0);
  }

  @Test
  void aFailedForwardBlocksBackwardUntilARunSucceeds() {
    Tape tape = new Tape();
    DMatrixRMaj x = new DMatrixRMaj(new double[][] {{1, 2}});
    Node X = tape.variable("x", x);
    Plan plan = Plan.compile(X.log().sum(), X);
    x.data[0] = -1;
    ArithmeticException domain = assertThrows(ArithmeticException.class, plan::forward);
    assertTrue(domain.getMessage().startsWith("log: x has -1.0 at (0, 0)"), domain.getMessage());
    IllegalStateException refused = assertThrows(IllegalStateException.class, plan::backward);
    assertEquals("plan: the last forward failed (log: x has -1.0 at (0, 0); log needs every entry"
        + " > 0); no backward until a forward succeeds", refused.getMessage());
    x.data[0] = 4;
    assertArrayEquals(new double[] {0.25, 0.5}, plan.run().get(X).data, 0);
    assertThrows(IllegalStateException.class, plan::backward, "one backward per forward");
  }

  @Test
  void anAnomalyInARunIsNamedWhenTheTapeDetectsThem() {
    Tape tape = new Tape().detectAnomalies(true);
    DMatrixRMaj z = new DMatrixRMaj(new double[][] {{1}});
    Node Z = tape.variable("z", z);
    Plan plan = Plan.compile(Z.exp().sum(), Z);
    z.data[0] = 1000;
    AnomalyException e = assertThrows(AnomalyException.class, plan::run);
    assertTrue(e.getMessage().contains("exp produced Infinity"), e.getMessage());
  }
}
