package dev.autodiff.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autodiff.core.check.GradientCheck;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

/** Gradients of gradients: Hessian-vector products, penalties on gradients, third derivatives. */
class DerivativesTest {
  private final Random rng = new Random(17);
  private final DMatrixRMaj x = Matrices.uniform(rng, 2, 3, -1, 1);
  private final DMatrixRMaj v = Matrices.uniform(rng, 2, 3, -1, 1);

  @Test
  void theHessianOfASumOfCubesTimesVIsSixXTimesV() {
    DMatrixRMaj hv = Derivatives.hvp(u -> u.mul(u).mul(u).sum(), x, v);
    for (int k = 0; k < x.getNumElements(); k++) {
      assertEquals(6 * x.data[k] * v.data[k], hv.data[k], 1e-14);
    }
  }

  /** A small network's loss: matmul, tanh, softmax, log, of two inputs. */
  private static Node network(List<Node> in) {
    Node W = in.get(0);
    Node X = in.get(1);
    return X.matmulTransB(W).tanh().softmax().add(0.1).log().mean();
  }

  @Test
  void aHessianVectorProductIsTheDerivativeOfTheGradientAlongV() {
    DMatrixRMaj w = Matrices.uniform(rng, 4, 3, -1, 1);
    DMatrixRMaj vw = Matrices.uniform(rng, 4, 3, -1, 1);
    DMatrixRMaj vx = Matrices.uniform(rng, 2, 3, -1, 1);
    List<DMatrixRMaj> hv = Derivatives.hvp(DerivativesTest::network, List.of(w, x),
        List.of(vw, vx));
    // central differences of the gradient: (∇f(θ + εv) − ∇f(θ − εv)) / 2ε
    double eps = 1e-5;
    List<DMatrixRMaj> plus = Derivatives.gradient(DerivativesTest::network,
        List.of(axpy(eps, vw, w), axpy(eps, vx, x)));
    List<DMatrixRMaj> minus = Derivatives.gradient(DerivativesTest::network,
        List.of(axpy(-eps, vw, w), axpy(-eps, vx, x)));
    for (int i = 0; i < 2; i++) {
      DMatrixRMaj numeric = CommonOps_DDRM.subtract(plus.get(i), minus.get(i), null);
      CommonOps_DDRM.scale(1 / (2 * eps), numeric);
      for (int k = 0; k < numeric.getNumElements(); k++) {
        assertEquals(numeric.data[k], hv.get(i).data[k], 1e-8, "input " + i + " entry " + k);
      }
    }
  }

  private static DMatrixRMaj axpy(double a, DMatrixRMaj p, DMatrixRMaj q) {
    DMatrixRMaj r = q.copy();
    CommonOps_DDRM.addEquals(r, a, p);
    return r;
  }

  @Test
  void aGradientPenaltyObjectiveHasTheGradientsOfCentralDifferences() {
    DMatrixRMaj w = Matrices.uniform(rng, 4, 3, -1, 1);
    // J = L + λ‖∂L/∂X‖², the penalty of WGAN-GP and input-gradient regularisation
    Function<List<Node>, Node> objective = in -> {
      Node L = network(in);
      Node dx = L.tape().grad(L, in.get(1)).get(0);
      return L.add(dx.square().sum().scale(0.5));
    };
    GradientCheck.Report r = GradientCheck.defaults().check(objective, w, x).assertPassed();
    assertTrue(r.maxRelError() < 1e-6, r::toString);
    // and the penalty changes the weights' gradient: a second derivative is in it
    DMatrixRMaj plain = Derivatives.gradient(DerivativesTest::network, List.of(w, x)).get(0);
    DMatrixRMaj penalised = Derivatives.gradient(objective, List.of(w, x)).get(0);
    assertTrue(CommonOps_DDRM.elementMaxAbs(CommonOps_DDRM.subtract(plain, penalised, null))
        > 1e-3);
  }

  @Test
  void thirdDerivativesOfAScalarChain() {
    // f(x) = x·eˣ: f' = (x + 1)eˣ, f'' = (x + 2)eˣ, f''' = (x + 3)eˣ
    Tape tape = new Tape();
    double at = 0.7;
    Node X = tape.variable("x", new DMatrixRMaj(1, 1, true, at));
    Node f = X.mul(X.exp());
    Node d1 = tape.grad(f, X).get(0);
    Node d2 = tape.grad(d1, X).get(0);
    Node d3 = tape.grad(d2, X).get(0);
    double e = Math.exp(at);
    assertEquals((at + 1) * e, d1.scalar(), 1e-14);
    assertEquals((at + 2) * e, d2.scalar(), 1e-14);
    assertEquals((at + 3) * e, d3.scalar(), 1e-14);
    assertEquals((at + 4) * e, tape.backward(d3).get(X).get(0, 0), 1e-13, "and a fourth");
  }

  @Test
  void theJacobianOfSoftmaxIsDiagYMinusYYTransposed() {
    DMatrixRMaj row = new DMatrixRMaj(1, 4, true, 0.3, -1.2, 2.0, 0.5);
    DMatrixRMaj jac = Derivatives.jacobian(Node::softmax, row);
    Tape tape = new Tape();
    DMatrixRMaj y = tape.constant(row).softmax().value();
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 4; j++) {
        double expected = (i == j ? y.get(0, i) : 0) - y.get(0, i) * y.get(0, j);
        assertEquals(expected, jac.get(i, j), 1e-15, "(" + i + ", " + j + ")");
      }
    }
  }

  @Test
  void aJacobianVectorProductIsTheJacobianTimesV() {
    DMatrixRMaj w = Matrices.uniform(rng, 3, 2, -1, 1);
    Function<Node, Node> f = u -> u.tape().constant("W", w).matmul(u).tanh(); // 3×3 from 2×3
    DMatrixRMaj jv = Derivatives.jvp(f, x, v);
    // closed form: (1 − y²) ⊙ (W v)
    Tape tape = new Tape();
    DMatrixRMaj y = f.apply(tape.constant(x)).value();
    DMatrixRMaj wv = CommonOps_DDRM.mult(w, v, null);
    for (int k = 0; k < jv.getNumElements(); k++) {
      assertEquals((1 - y.data[k] * y.data[k]) * wv.data[k], jv.data[k], 1e-15);
    }
    // and the Jacobian, read row by row, times v
    DMatrixRMaj jac = Derivatives.jacobian(f, x);
    DMatrixRMaj flat = new DMatrixRMaj(v.getNumElements(), 1, true, v.data);
    assertArrayEquals(CommonOps_DDRM.mult(jac, flat, null).data, jv.data, 1e-15);
  }

  /** softplus with its gradient in Node operations: twice differentiable with nothing more. */
  static final Op SOFTPLUS = new Op() {
    @Override
    public String name() {
      return "softplus";
    }

    @Override
    public DMatrixRMaj forward(Node... in) {
      DMatrixRMaj a = in[0].value();
      DMatrixRMaj y = new DMatrixRMaj(a.numRows, a.numCols);
      for (int k = 0; k < a.getNumElements(); k++) {
        y.data[k] = Math.max(a.data[k], 0) + Math.log1p(Math.exp(-Math.abs(a.data[k])));
      }
      return y;
    }

    @Override
    public Node vjp(int i, Node y, Node g) {
      return g.mul(y.input(0).sigmoid());
    }
  };

  @Test
  void aCustomOpWithANodeGradientIsTwiceDifferentiable() {
    GradientCheck.Report r = GradientCheck.defaults()
        .checkSecondOrder(in -> in.get(0).apply(SOFTPLUS).square().sum(), x).assertPassed();
    assertTrue(r.maxRelError() < 1e-6, r::toString);
  }

  @Test
  void aSecondDerivativeThroughAMatrixCodeGradientIsRefusedNamingTheOp() {
    Op raw = new CustomOpTest.Softplus(1);
    UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
        () -> GradientCheck.defaults().checkSecondOrder(in -> in.get(0).apply(raw).sum(), x));
    assertEquals("softplus is differentiable once: its gradient is matrix code (Op.backward);"
        + " write Op.vjp with Node operations to differentiate it again", e.getMessage());
    // while its first derivative is fine, recorded or not
    Tape tape = new Tape();
    Node X = tape.variable("x", x);
    Node d = tape.grad(X.apply(raw).sum(), X).get(0);
    assertEquals(1 / (1 + Math.exp(-x.data[0])), d.value().data[0], 1e-15);
  }
}
