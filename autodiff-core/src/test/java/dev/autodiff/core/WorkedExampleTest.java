package dev.autodiff.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

/**
 * Seed 000: u = Wx + b, h = ReLU(u), v = Mh + c, L = ½‖y − v‖²_F, s = ½‖W‖²_F + ½‖M‖²_F, J = L + s.
 * Forward numbers from the note; gradients against the note's closed forms, computed here by hand.
 */
class WorkedExampleTest {
  static final double TOL = 1e-12;

  final DMatrixRMaj xv = col(6, 3);
  final DMatrixRMaj Wv = new DMatrixRMaj(new double[][] {{.3, .5}, {.2, .7}, {.1, .4}});
  final DMatrixRMaj bv = col(.1, .2, .3);
  final DMatrixRMaj Mv = new DMatrixRMaj(new double[][] {{.3, .5, .1}, {.2, .7, .8}});
  final DMatrixRMaj cv = col(.3, .5);
  final DMatrixRMaj yv = col(3, 5);

  static DMatrixRMaj col(double... v) {
    return new DMatrixRMaj(v.length, 1, true, v);
  }

  @Test
  void forwardValuesAndEveryGradientOfTheBackwardSection() {
    Tape tape = new Tape();
    Node x = tape.constant("x", xv);
    Node y = tape.constant("y", yv);
    Node W = tape.variable("W", Wv);
    Node b = tape.variable("b", bv);
    Node M = tape.variable("M", Mv);
    Node c = tape.variable("c", cv);

    Node u = W.matmul(x).add(b).named("u");
    Node h = u.relu().named("h");
    Node v = M.matmul(h).add(c).named("v");
    Node L = y.sub(v).frobeniusNorm().square().scale(0.5).named("L");
    Node s1 = W.frobeniusNorm().square().scale(0.5).named("s1");
    Node s2 = M.frobeniusNorm().square().scale(0.5).named("s2");
    Node s = s1.add(s2).named("s");
    Node J = L.add(s).named("J");

    assertArrayEquals(new double[] {3.4, 3.5, 2.1}, u.value().data, TOL);
    assertArrayEquals(new double[] {3.4, 3.5, 2.1}, h.value().data, TOL);
    assertArrayEquals(new double[] {3.28, 5.31}, v.value().data, TOL);
    assertEquals(0.08725, L.scalar(), TOL);
    assertEquals(0.52, s1.scalar(), TOL);
    assertEquals(0.76, s2.scalar(), TOL);
    assertEquals(1.28, s.scalar(), TOL);
    assertEquals(1.36725, J.scalar(), TOL);

    Gradients g = tape.backward(J);

    // ∂J/∂L = ∂J/∂s = ∂J/∂s1 = ∂J/∂s2 = 1
    for (Node one : new Node[] {J, L, s, s1, s2}) {
      assertEquals(1.0, g.get(one).get(0, 0), TOL, one.name());
    }
    // ∂J/∂v = ∂L/∂v = v − y
    DMatrixRMaj dv = new DMatrixRMaj(2, 1);
    CommonOps_DDRM.subtract(v.value(), yv, dv);
    assertArrayEquals(new double[] {0.28, 0.31}, dv.data, TOL);
    assertMatrix(dv, g.get(v));
    // ∂J/∂M = ∂J/∂v hᵀ + M
    DMatrixRMaj dM = new DMatrixRMaj(2, 3);
    CommonOps_DDRM.multTransB(dv, h.value(), dM);
    CommonOps_DDRM.addEquals(dM, Mv);
    assertMatrix(dM, g.get(M));
    // ∂J/∂h = Mᵀ ∂J/∂v
    DMatrixRMaj dh = new DMatrixRMaj(3, 1);
    CommonOps_DDRM.multTransA(Mv, dv, dh);
    assertMatrix(dh, g.get(h));
    // ∂J/∂u = ∂J/∂h ⊙ ReLU'(u): all of u is positive here
    DMatrixRMaj du = dh.copy();
    assertMatrix(du, g.get(u));
    // ∂J/∂W = ∂J/∂u xᵀ + W
    DMatrixRMaj dW = new DMatrixRMaj(3, 2);
    CommonOps_DDRM.multTransB(du, xv, dW);
    CommonOps_DDRM.addEquals(dW, Wv);
    assertMatrix(dW, g.get(W));
    // ∂J/∂b = ∂J/∂u, ∂J/∂c = ∂J/∂v
    assertMatrix(du, g.get(b));
    assertMatrix(dv, g.get(c));
    // spelled out once, so a reader sees the numbers: ∂J/∂M = [.28; .31]·[3.4 3.5 2.1] + M
    assertArrayEquals(new double[] {0.952 + 0.3, 0.98 + 0.5, 0.588 + 0.1,
        1.054 + 0.2, 1.085 + 0.7, 0.651 + 0.8}, g.get(M).data, TOL);
  }

  static void assertMatrix(DMatrixRMaj expected, DMatrixRMaj actual) {
    assertEquals(expected.numRows, actual.numRows);
    assertEquals(expected.numCols, actual.numCols);
    assertArrayEquals(expected.data, actual.data, TOL);
  }
}
