package dev.autodiff.core.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autodiff.core.AnomalyException;
import dev.autodiff.core.Gradients;
import dev.autodiff.core.Node;
import dev.autodiff.core.Tape;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tape.forward(): a recorded tape re-run on new leaf values gives, bit for bit, the values and
 * gradients of a tape recorded anew on them, for every op of the table, while its backward reuses
 * the previous backward's buffers.
 */
class RerunTest {

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.autodiff.core.ops.OpGradientTest#cases")
  void rerunEqualsAFreshTape(OpGradientTest.Case c) {
    Random rng = new Random(c.op().hashCode());
    DMatrixRMaj[] before = inputs(c, rng);
    DMatrixRMaj[] after = inputs(c, rng);

    DMatrixRMaj[] leaves = new DMatrixRMaj[before.length];
    for (int i = 0; i < leaves.length; i++) {
      leaves[i] = before[i].copy();
    }
    Tape tape = new Tape();
    Graph recorded = Graph.record(tape, c.f(), leaves, null);
    // a first re-run on the same values: its backward's buffers are the ones the next one takes
    Gradients first = tape.forward().backward(recorded.J);
    DMatrixRMaj firstBuffer = first.get(tape.nodes().get(0));
    for (int i = 0; i < leaves.length; i++) {
      leaves[i].setTo(after[i]);
    }
    Gradients rerun = tape.forward().backward(recorded.J);
    assertSame(firstBuffer, rerun.get(tape.nodes().get(0)), "x0's gradient buffer was reused");

    Tape fresh = new Tape();
    Graph anew = Graph.record(fresh, c.f(), after, recorded.readout);
    Gradients expected = fresh.backward(anew.J);

    assertEquals(fresh.size(), tape.size());
    for (int k = 0; k < tape.size(); k++) {
      Node n = tape.nodes().get(k);
      Node m = fresh.nodes().get(k);
      assertArrayEquals(m.value().data, n.value().data, 0, n + " value");
      assertEquals(expected.has(m), rerun.has(n), n + " has a gradient");
      if (rerun.has(n)) {
        assertArrayEquals(expected.get(m).data, rerun.get(n).data, 0, n + " gradient");
      }
    }
  }

  /** The op under test read out as J = Σ y ⊙ R, like the gradient table. */
  private record Graph(Node J, DMatrixRMaj readout) {
    static Graph record(Tape tape, Function<List<Node>, Node> f, DMatrixRMaj[] x,
        DMatrixRMaj readout) {
      List<Node> v = new ArrayList<>();
      for (int i = 0; i < x.length; i++) {
        v.add(tape.variable("x" + i, x[i]));
      }
      Node y = f.apply(v);
      DMatrixRMaj r = readout != null ? readout
          : Matrices.uniform(new Random(7), y.rows(), y.cols(), -1, 1);
      return new Graph(y.mul(tape.constant("R", r)).sum(), r);
    }
  }

  private static DMatrixRMaj[] inputs(OpGradientTest.Case c, Random rng) {
    DMatrixRMaj[] x = new DMatrixRMaj[c.shapes().length];
    for (int i = 0; i < x.length; i++) {
      x[i] = Matrices.uniform(rng, c.shapes()[i][0], c.shapes()[i][1], c.lo(), c.hi());
    }
    return x;
  }

  @Test
  void aLeafThatChangedShapeIsRejected() {
    Tape tape = new Tape();
    DMatrixRMaj w = new DMatrixRMaj(2, 3);
    tape.variable("W", w).relu().sum();
    w.reshape(3, 2);
    IllegalStateException e = assertThrows(IllegalStateException.class, tape::forward);
    assertEquals("forward: W was recorded as 2×3 and is now 3×2; a re-run keeps every shape",
        e.getMessage());
  }

  @Test
  void aCustomOpIsRecomputedThroughItsForward() {
    Tape tape = new Tape();
    DMatrixRMaj x = new DMatrixRMaj(new double[][] {{1, 2}});
    Node y = tape.variable("x", x).apply(new dev.autodiff.core.Op() {
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
    x.data[1] = 3;
    tape.forward();
    assertArrayEquals(new double[] {1, 27}, y.value().data, 0);
    assertEquals(28, J.scalar(), 0);
    assertArrayEquals(new double[] {3, 27}, tape.backward(J).get(tape.nodes().get(0)).data, 0);
  }

  @Test
  void aRerunChecksDomainsAndAnomaliesLikeARecording() {
    Tape tape = new Tape().detectAnomalies(true);
    DMatrixRMaj x = new DMatrixRMaj(new double[][] {{1, 2}});
    tape.variable("x", x).log().sum();
    x.data[0] = -1;
    ArithmeticException domain = assertThrows(ArithmeticException.class, tape::forward);
    assertTrue(domain.getMessage().startsWith("log: x has -1.0 at (0, 0)"), domain.getMessage());
    Tape t2 = new Tape().detectAnomalies(true);
    DMatrixRMaj z = new DMatrixRMaj(new double[][] {{1}});
    t2.variable("z", z).exp();
    z.data[0] = 1000;
    assertThrows(AnomalyException.class, t2::forward);
  }
}
