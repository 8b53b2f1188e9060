package dev.autodiff.core.trace;

import static dev.autodiff.core.trace.ExplanationTest.node;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autodiff.core.Gradients;
import dev.autodiff.core.Node;
import dev.autodiff.core.Tape;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class LedgerTest {

  static List<String> routes(Ledger l) {
    return l.paths().stream().map(l::route).toList();
  }

  @Test
  void dJdMIsItsTwoPathsThroughTheLossAndThroughThePenalty() {
    Gradients g = ExplanationTest.seed000();
    Node M = node(g, "M");
    Ledger l = Explanation.of(g).paths(M);
    assertEquals(List.of("M → M·h → v → y − v → L → J", "M → s2 → s → J"), routes(l));
    // ∂J/∂v·hᵀ = [0.28; 0.31]·[3.4 3.5 2.1], and M itself
    assertArrayEquals(new double[] {.952, .98, .588, 1.054, 1.085, .651},
        l.paths().get(0).value().data, 1e-12);
    assertArrayEquals(M.value().data, l.paths().get(1).value().data, 0);
    assertArrayEquals(g.get(M).data, l.sum().data, 1e-12);
    assertTrue(l.complete());
    // M is M·h's first input, v the second of y − v
    assertEquals(List.of(0, 0, 1, 0, 0), l.paths().get(0).inputs());
  }

  @Test
  void dJdWRunsThroughReluOnOnePathAndThePenaltyOnTheOther() {
    Gradients g = ExplanationTest.seed000();
    Node W = node(g, "W");
    Ledger l = Explanation.of(g).paths(W);
    assertEquals(List.of("W → W·x → u → h → M·h → v → y − v → L → J", "W → s1 → s → J"),
        routes(l));
    // ∂J/∂u·xᵀ = [0.146; 0.357; 0.276]·[6 3], then W
    assertArrayEquals(new double[] {.876, .438, 2.142, 1.071, 1.656, .828},
        l.paths().get(0).value().data, 1e-12);
    assertArrayEquals(W.value().data, l.paths().get(1).value().data, 0);
    assertArrayEquals(new double[] {1.176, .938, 2.342, 1.771, 1.756, 1.228}, l.sum().data,
        1e-12);
  }

  @Test
  void anEntrysPathsMultiplyNumbers() {
    Gradients g = ExplanationTest.seed000();
    Node M = node(g, "M");
    Ledger l = Explanation.of(g).paths(M, 0, 1);
    assertEquals(List.of("M[1,2] → (M·h)[1] → v[1] → (y − v)[1] → L → J", "M[1,2] → s2 → s → J"),
        routes(l));
    // h[2] = 3.5, ∂v/∂(M·h) = 1, ∂(y − v)/∂v = −1, ∂L/∂(y − v)[1] = y − v = −0.28, ∂J/∂L = 1
    List<Double> locals = l.paths().get(0).locals();
    assertArrayEquals(new double[] {3.5, 1, -1, -.28, 1},
        locals.stream().mapToDouble(Double::doubleValue).toArray(), 1e-12);
    assertEquals(.98, l.paths().get(0).value().get(0, 0), 1e-12);
    // ∂s2/∂M[1,2] = M[1,2] = 0.5, then 1 and 1
    assertEquals(.5, l.paths().get(1).value().get(0, 0), 1e-12);
    assertEquals(1.48, l.sum().get(0, 0), 1e-12);
    assertEquals(g.get(M).get(0, 1), l.gradient().get(0, 0), 0);
    assertEquals(List.of(1, 0, 0, 0, 0, 0), l.paths().get(0).entries());
  }

  @Test
  void fanOutGivesAPathPerUse() {
    // (x + x) ⊙ x: through add's two inputs, 3 each, and mul's second, 6
    Tape tape = new Tape();
    Node x = tape.variable("x", new DMatrixRMaj(1, 1, true, 3));
    Node y = x.add(x).named("a").mul(x).named("y");
    Ledger l = Explanation.of(tape.backward(y)).paths(x);
    assertEquals(List.of("x → a → y", "x → a → y", "x → y"), routes(l));
    assertEquals(List.of(0, 0), l.paths().get(0).inputs());
    assertEquals(List.of(1, 0), l.paths().get(1).inputs());
    assertEquals(List.of(1), l.paths().get(2).inputs());
    assertArrayEquals(new double[] {3, 3, 6},
        l.paths().stream().mapToDouble(p -> p.value().get(0, 0)).toArray(), 0);
    assertEquals(12, l.sum().get(0, 0), 0);
  }

  @Test
  void textListsEachPathAndTheSum() {
    Gradients g = ExplanationTest.seed000();
    StringBuilder out = new StringBuilder();
    Explanation.of(g).paths(node(g, "M")).text(out);
    assertEquals("""
        ∂J/∂M = the sum over 2 paths to J of the product of the local derivatives along each:
          M → M·h → v → y − v → L → J   [0.952 0.98 0.588; 1.054 1.085 0.651]
          M → s2 → s → J                [0.3 0.5 0.1; 0.2 0.7 0.8]
          sum                           [1.252 1.48 0.688; 1.254 1.785 1.451] = ∂J/∂M
        """, out.toString());
    out.setLength(0);
    Explanation.of(g).paths(node(g, "M"), 0, 1).text(out);
    assertEquals("""
        ∂J/∂M[1,2] = the sum over 2 paths to J of the product of the local derivatives along each:
          M[1,2] → (M·h)[1] → v[1] → (y − v)[1] → L → J
              = 3.5 · 1 · (-1) · (-0.28) · 1 = 0.98
          M[1,2] → s2 → s → J
              = 0.5 · 1 · 1 = 0.5
          sum = 1.48 = ∂J/∂M[1,2]
          (a path through a local derivative of 0 adds nothing and is not listed)
        """, out.toString());
  }

  @Test
  void jsOwnLedgerIsThePathOfNoStepsWithTheSeed() {
    Gradients g = ExplanationTest.seed000();
    Ledger whole = Explanation.of(g).paths(g.root());
    assertEquals(List.of("J"), routes(whole));
    assertEquals(1, whole.sum().get(0, 0), 0);
    Ledger entry = Explanation.of(g).paths(g.root(), 0, 0);
    assertEquals(List.of("J"), routes(entry));
    assertEquals(List.of(), entry.paths().get(0).locals());
    assertEquals(1, entry.sum().get(0, 0), 0);
  }

  @Test
  void manyPathsAreCutOffAndSaidToBe() {
    // x doubled 8 times over: 2⁸ = 256 paths
    Tape tape = new Tape();
    Node x = tape.variable("x", new DMatrixRMaj(1, 1, true, 1));
    Node y = x;
    for (int k = 0; k < 8; k++) {
      y = y.add(y);
    }
    Ledger l = Explanation.of(tape.backward(y)).paths(x);
    assertFalse(l.complete());
    assertEquals(Ledger.MAX_PATHS, l.paths().size());
    assertEquals(256, Explanation.of(tape.backward(y)).paths(x).gradient().get(0, 0), 0);
  }

  @Test
  void aNodeWithoutAGradientHasNoPathsAndAnEntryMustBeInside() {
    Gradients g = ExplanationTest.seed000();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Explanation.of(g).paths(node(g, "x")));
    assertEquals("paths: x has no gradient in this backward pass, so it has no path to J",
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Explanation.of(g).paths(node(g, "M"), 2, 0));
    assertEquals("paths: entry (2, 0) is outside M, which is 2×3 (rows and columns count from 0)",
        e.getMessage());
  }
}
