package dev.autodiff.core.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.autodiff.core.Gradients;
import dev.autodiff.core.Node;
import dev.autodiff.core.Tape;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The penalty's deferred s·W, against closed forms: folded into the matmul's product (β·C on BLAS,
 * a scaled copy on EJML), written out when nothing folds it, added when it comes second, and the
 * same on a re-run tape whose buffers still hold the last step's numbers. 24×16 by 16: past BLAS's
 * cut-over, so each backend runs its own path.
 */
class FreshGradientTest {
  private static final double TOL = 1e-12;
  private final Gemm.Backend initial = Gemm.backend();
  private final Random rng = new Random(5);
  private final DMatrixRMaj x = Matrices.uniform(rng, 24, 16, -1, 1);
  private final DMatrixRMaj w = Matrices.uniform(rng, 16, 12, -1, 1);

  @AfterEach
  void restore() {
    Gemm.use(initial);
  }

  /** Xᵀ·1: ∂ sum(X W)/∂W. */
  private DMatrixRMaj xt1() {
    DMatrixRMaj ones = new DMatrixRMaj(x.numRows, w.numCols);
    ones.fill(1);
    DMatrixRMaj r = new DMatrixRMaj(w.numRows, w.numCols);
    CommonOps_DDRM.multTransA(x, ones, r);
    return r;
  }

  /** a + s·b. */
  private static DMatrixRMaj plus(DMatrixRMaj a, double s, DMatrixRMaj b) {
    DMatrixRMaj r = new DMatrixRMaj(a.numRows, a.numCols);
    CommonOps_DDRM.add(a, s, b, r);
    return r;
  }

  private static void assertClose(DMatrixRMaj expected, DMatrixRMaj actual, String what) {
    assertArrayEquals(expected.data, actual.data, TOL, what);
  }

  @ParameterizedTest
  @EnumSource(value = Gemm.Backend.class, names = {"EJML", "BLAS"})
  void aScaledPenaltyIsFoldedIntoTheProduct(Gemm.Backend backend) {
    Gemm.use(backend);
    for (boolean anomalies : new boolean[] {false, true}) {
      Tape tape = new Tape().detectAnomalies(anomalies);
      Node W = tape.variable("W", w);
      Node L = tape.constant("X", x).matmul(W).sum();
      // recorded after the product: backward meets the penalty first
      Node J = L.add(W.halfSquaredNorm().scale(0.3));
      assertClose(plus(xt1(), 0.3, w), tape.backward(J).get(W), "anomalies " + anomalies);
    }
  }

  @ParameterizedTest
  @EnumSource(value = Gemm.Backend.class, names = {"EJML", "BLAS"})
  void twoPenaltiesAndAProductOnOneWeight(Gemm.Backend backend) {
    Gemm.use(backend);
    Tape tape = new Tape();
    Node W = tape.variable("W", w);
    Node J = tape.constant("X", x).matmul(W).sum().add(W.halfSquaredNorm())
        .add(W.halfSquaredNorm().scale(2));
    assertClose(plus(xt1(), 3, w), tape.backward(J).get(W), "3W + Xᵀ1");
  }

  @ParameterizedTest
  @EnumSource(value = Gemm.Backend.class, names = {"EJML", "BLAS"})
  void aPenaltyWithNothingToFoldItIsWrittenOut(Gemm.Backend backend) {
    Gemm.use(backend);
    Tape tape = new Tape();
    Node W = tape.variable("W", w);
    // the product comes second in backward here: it writes, the penalty then adds
    Node J = W.halfSquaredNorm().scale(0.5).add(tape.constant("X", x).matmul(W).sum());
    Node P = tape.variable("P", w.copy());
    Node K = J.add(P.halfSquaredNorm().scale(-2));
    Gradients g = tape.backward(K);
    assertClose(plus(xt1(), 0.5, w), g.get(W), "0.5 W + Xᵀ1");
    DMatrixRMaj minus2w = plus(new DMatrixRMaj(w.numRows, w.numCols), -2, w);
    assertClose(minus2w, g.get(P), "a penalty alone: −2 P");
  }

  @ParameterizedTest
  @EnumSource(value = Gemm.Backend.class, names = {"EJML", "BLAS"})
  void aPenaltyOnAnInnerNodeIsSettledBeforeItsOwnBackward(Gemm.Backend backend) {
    Gemm.use(backend);
    Tape tape = new Tape();
    Node W = tape.variable("W", w);
    Node h = tape.constant("X", x).matmul(W);
    Node J = h.sum().add(h.halfSquaredNorm());
    // ∂J/∂h = 1 + h, ∂J/∂W = Xᵀ(1 + h)
    DMatrixRMaj dh = h.value().copy();
    CommonOps_DDRM.add(dh, 1);
    DMatrixRMaj expected = new DMatrixRMaj(w.numRows, w.numCols);
    CommonOps_DDRM.multTransA(x, dh, expected);
    Gradients g = tape.backward(J);
    assertClose(dh, g.get(h), "∂J/∂h");
    assertClose(expected, g.get(W), "∂J/∂W");
  }

  @ParameterizedTest
  @EnumSource(value = Gemm.Backend.class, names = {"EJML", "BLAS"})
  void reusedBuffersStartFromZeroWhateverTheyHeld(Gemm.Backend backend) {
    Gemm.use(backend);
    DMatrixRMaj wv = w.copy();
    Tape tape = new Tape();
    Node W = tape.variable("W", wv);
    Node h = tape.constant("X", x).matmul(W);
    // relu's and add's gradients only add: their reused buffers must be zeroed first
    Node J = h.relu().sum().add(h.sum()).add(W.halfSquaredNorm());
    tape.forward().backward(J);
    for (int step = 0; step < 3; step++) {
      CommonOps_DDRM.scale(0.5, wv);
      Gradients g = tape.forward().backward(J);
      Tape fresh = new Tape();
      Node W2 = fresh.variable("W", wv);
      Node h2 = fresh.constant("X", x).matmul(W2);
      Gradients e = fresh.backward(h2.relu().sum().add(h2.sum()).add(W2.halfSquaredNorm()));
      assertArrayEquals(e.get(W2).data, g.get(W).data, 0, "step " + step);
      assertArrayEquals(e.get(h2).data, g.get(h).data, 0, "step " + step);
    }
  }
}
