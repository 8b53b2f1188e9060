package dev.autodiff.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

/** Gradient hooks: what they see, what they change, in a backward, a recorded one and a plan. */
class HookTest {
  private final Random rng = new Random(3);
  private final DMatrixRMaj w = Matrices.uniform(rng, 4, 3, -1, 1);
  private final DMatrixRMaj bias = Matrices.uniform(rng, 4, 1, -1, 1);
  private final DMatrixRMaj x = Matrices.uniform(rng, 3, 1, -1, 1);
  /** The net without hooks, and its gradients. */
  private final Net plain = net();
  private final Gradients expected = plain.tape().backward(plain.J());

  /** J = Σ tanh(W·x + b)², with u = W·x + b named. */
  private record Net(Tape tape, Node W, Node b, Node u, Node h, Node J) {}

  private Net net() {
    Tape tape = new Tape();
    Node W = tape.variable("W", w);
    Node b = tape.variable("b", bias);
    Node u = W.matmul(tape.constant("x", x)).add(b).named("u");
    Node h = u.tanh().named("h");
    return new Net(tape, W, b, u, h, h.square().sum().named("J"));
  }

  private static DMatrixRMaj doubled(DMatrixRMaj g) {
    CommonOps_DDRM.scale(2, g);
    return g;
  }

  @Test
  void aHookDoublingAGradientDoublesEveryGradientUpstreamExactly() {
    Net n = net();
    n.u().registerHook(HookTest::doubled);
    Gradients g = n.tape().backward(n.J());
    assertArrayEquals(doubled(expected.get(plain.W()).copy()).data, g.get(n.W()).data, 0);
    assertArrayEquals(doubled(expected.get(plain.b()).copy()).data, g.get(n.b()).data, 0);
    assertArrayEquals(doubled(expected.get(plain.u()).copy()).data, g.get(n.u()).data, 0,
        "u's own gradient is the hook's result");
    assertArrayEquals(expected.get(plain.h()).data, g.get(n.h()).data, 0, "downstream unchanged");
  }

  @Test
  void anObservingHookSeesTheGradientOncePerPass() {
    Net n = net();
    List<DMatrixRMaj> seen = new ArrayList<>();
    n.u().registerHook(g -> {
      seen.add(g.copy());
      return g;
    });
    Gradients g = n.tape().backward(n.J());
    assertEquals(1, seen.size());
    assertArrayEquals(g.get(n.u()).data, seen.get(0).data, 0);
    Gradients again = n.tape().backward(n.J());
    assertEquals(2, seen.size());
    assertArrayEquals(again.get(n.W()).data, g.get(n.W()).data, 0, "and changes nothing");
  }

  @Test
  void hooksOnALeafRunInTheOrderRegistered() {
    Net n = net();
    n.W().registerHook(HookTest::doubled).registerHook(g -> {
      CommonOps_DDRM.add(g, 1);
      return g;
    });
    DMatrixRMaj gw = expected.get(plain.W());
    DMatrixRMaj hooked = n.tape().backward(n.J()).get(n.W());
    for (int k = 0; k < gw.getNumElements(); k++) {
      assertEquals(2 * gw.data[k] + 1, hooked.data[k], 0, "entry " + k);
    }
  }

  @Test
  void aHookAppliesToTheGradientsTapeGradRecordsAndCannotBeDifferentiatedThrough() {
    Net n = net();
    n.u().registerHook(HookTest::doubled);
    List<Node> g = n.tape().grad(n.J(), n.W(), n.b());
    assertArrayEquals(doubled(expected.get(plain.W()).copy()).data, g.get(0).value().data, 1e-15);
    UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
        () -> n.tape().grad(g.get(0).square().sum(), n.W()));
    assertEquals("the gradient hook on u is matrix code: a gradient that went through it cannot"
        + " be differentiated again", e.getMessage());
  }

  @Test
  void aPlanRunsTheHookAtEveryRunOnThatRunsGradient() {
    Net n = net();
    List<DMatrixRMaj> seen = new ArrayList<>();
    n.u().registerHook(g -> {
      seen.add(g.copy());
      return doubled(g);
    });
    Plan plan = Plan.compile(n.J(), n.W(), n.b());
    seen.clear(); // compiling records the backward once
    for (int run = 0; run < 2; run++) {
      CommonOps_DDRM.scale(0.5, w); // the plan reads W anew
      Gradients g = plan.run();
      Net fresh = net();
      fresh.u().registerHook(HookTest::doubled);
      Gradients expected = fresh.tape().backward(fresh.J());
      assertEquals(run + 1, seen.size());
      assertArrayEquals(expected.get(fresh.u()).data, doubled(seen.get(run).copy()).data, 1e-15);
      assertArrayEquals(expected.get(fresh.W()).data, g.get(n.W()).data, 1e-15);
      assertArrayEquals(expected.get(fresh.b()).data, g.get(n.b()).data, 1e-15);
    }
  }

  @Test
  void aHookReturningAnotherShapeIsNamed() {
    Net n = net();
    n.u().registerHook(g -> new DMatrixRMaj(1, 1));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> n.tape().backward(n.J()));
    assertEquals("the gradient hook on u (4×1) returned 1×1; it must return a gradient of the"
        + " node's shape", e.getMessage());
    assertTrue(n.u().toString().startsWith("u (4×1) [["), "a hook changes no value");
  }
}
