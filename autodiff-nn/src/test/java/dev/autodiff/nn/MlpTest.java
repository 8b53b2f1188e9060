package dev.autodiff.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autodiff.core.Gradients;
import dev.autodiff.core.Node;
import dev.autodiff.core.Tape;
import dev.autodiff.core.check.GradientCheck;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

class MlpTest {

  @Test
  void theIssuesExampleBuildsA784x256x10Model() {
    Mlp m = Mlp.builder(784).hidden(256, Activation.RELU).output(10).seed(42).build();
    assertEquals("784-256(RELU)-10(IDENTITY)", m.architecture().toString());
    assertEquals(List.of("W1", "b1", "W2", "b2"),
        m.parameters().stream().map(Parameter::name).toList());
    assertEquals(256, m.layers().get(0).W().rows());
    assertEquals(784, m.layers().get(0).W().cols());
    assertEquals(10, m.layers().get(1).b().cols());
  }

  @Test
  void sameSeedSameModelBitForBit() {
    Mlp a = Mlp.builder(20).hidden(8, Activation.TANH).output(3).seed(5).build();
    Mlp b = Mlp.builder(20).hidden(8, Activation.TANH).output(3).seed(5).build();
    Mlp c = Mlp.builder(20).hidden(8, Activation.TANH).output(3).seed(6).build();
    for (int i = 0; i < a.parameters().size(); i++) {
      assertArrayEquals(a.parameters().get(i).value().data, b.parameters().get(i).value().data);
    }
    assertFalse(Arrays.equals(a.parameters().get(0).value().data,
        c.parameters().get(0).value().data));
  }

  @Test
  void heForReluXavierOtherwiseAndZeroBiases() {
    Mlp m = Mlp.builder(400).hidden(300, Activation.RELU).hidden(200, Activation.TANH).output(100)
        .seed(1).build();
    // He: N(0, 2/in), so the sample variance is near 2/400 (120,000 draws: within 2%)
    assertEquals(2.0 / 400, variance(m.layers().get(0).W().value()), 2.0 / 400 * 0.02);
    // Xavier uniform on ±√(6/(in + out)): variance 2/(in + out), and never beyond the limit
    DMatrixRMaj w2 = m.layers().get(1).W().value();
    assertEquals(2.0 / 500, variance(w2), 2.0 / 500 * 0.02);
    assertTrue(CommonOps_DDRM.elementMaxAbs(w2) <= Math.sqrt(6.0 / 500));
    for (Linear l : m.layers()) {
      assertEquals(0, CommonOps_DDRM.elementMaxAbs(l.b().value()));
    }
  }

  static double variance(DMatrixRMaj m) {
    double mean = CommonOps_DDRM.elementSum(m) / m.getNumElements();
    double s = 0;
    for (int k = 0; k < m.getNumElements(); k++) {
      s += (m.data[k] - mean) * (m.data[k] - mean);
    }
    return s / m.getNumElements();
  }

  @Test
  void everyActivationPassesTheGradientChecker() {
    for (Activation g : Activation.values()) {
      Mlp m = Mlp.builder(3).hidden(4, g).output(2, g).seed(3).build();
      DMatrixRMaj X = Matrices.random(new Random(4), 5, 3);
      DMatrixRMaj Y = Matrices.random(new Random(5), 5, 2);
      Objective objective = new Objective(Losses.MEAN_SQUARED_ERROR, 0.3);
      GradientCheck.defaults().checkNamed(v -> objective.evaluate(m, v.get("W1").tape()
              .constant("X", X), v.get("W1").tape().constant("Y", Y),
              Bindings.using(v.get("W1").tape(), p -> v.get(p.name()))).J(),
          named(m)).assertPassed();
    }
  }

  @Test
  void aDeeperModelWithEachLossPassesTheGradientChecker() {
    Mlp m = Mlp.builder(4).hidden(3, Activation.SIGMOID).hidden(2, Activation.SIGMOID)
        .output(1, Activation.SIGMOID).seed(4).build(); // seed 004's 4-3-2-1 sigmoid network
    DMatrixRMaj X = Matrices.random(new Random(6), 6, 4);
    DMatrixRMaj y = new DMatrixRMaj(6, 1, true, 1, 0, 0, 1, 1, 0);
    for (Loss loss : List.of(Losses.BINARY_CROSS_ENTROPY_WITH_LOGITS, Losses.HALF_SQUARED_ERROR)) {
      Objective objective = new Objective(loss, 0.1);
      GradientCheck.defaults().checkNamed(v -> objective.evaluate(m, v.get("W1").tape()
              .constant("X", X), v.get("W1").tape().constant("Y", y),
              Bindings.using(v.get("W1").tape(), p -> v.get(p.name()))).J(),
          named(m)).assertPassed();
    }
  }

  /** Every parameter by name, for the checker. */
  static Map<String, DMatrixRMaj> named(Mlp m) {
    Map<String, DMatrixRMaj> map = new LinkedHashMap<>();
    m.parameters().forEach(p -> map.put(p.name(), p.value()));
    return map;
  }

  /**
   * Seeds 001/002, batched: δ₂ = ∂L/∂Z₂, ∇W₂ = δ₂ᵀ H + λW₂, ∇b₂ = Σₙ δ₂, δ₁ = (δ₂ W₂) ⊙ g'(Z₁),
   * ∇W₁ = δ₁ᵀ X + λW₁, ∇b₁ = Σₙ δ₁ — computed here with plain matrix algebra.
   */
  @Test
  void twoLayerGradientsEqualTheDeltaFormulas() {
    for (Activation g : List.of(Activation.RELU, Activation.TANH, Activation.SIGMOID)) {
      Mlp m = Mlp.builder(5).hidden(4, g).output(3).seed(9).build();
      Random r = new Random(10);
      DMatrixRMaj X = Matrices.random(r, 6, 5);
      DMatrixRMaj Y = OneHot.encode(new int[] {0, 1, 2, 2, 1, 0}, 3);
      double lambda = 0.05;
      int N = 6;

      Tape tape = new Tape();
      Bindings vars = Bindings.variables(tape);
      Objective.Terms t = new Objective(Losses.SOFTMAX_CROSS_ENTROPY_WITH_LOGITS, lambda)
          .evaluate(m, tape.constant("X", X), tape.constant("Y", Y), vars);
      Gradients grads = tape.backward(t.J());

      DMatrixRMaj W1 = m.layers().get(0).W().value();
      DMatrixRMaj b1 = m.layers().get(0).b().value();
      DMatrixRMaj W2 = m.layers().get(1).W().value();
      DMatrixRMaj b2 = m.layers().get(1).b().value();
      // forward: Z₁ = X W₁ᵀ + b₁, H = g(Z₁), Z₂ = H W₂ᵀ + b₂
      DMatrixRMaj Z1 = new DMatrixRMaj(N, 4);
      CommonOps_DDRM.multTransB(X, W1, Z1);
      addRow(Z1, b1);
      DMatrixRMaj H = new DMatrixRMaj(N, 4);
      DMatrixRMaj dg = new DMatrixRMaj(N, 4);
      for (int k = 0; k < Z1.getNumElements(); k++) {
        double z = Z1.data[k];
        switch (g) {
          case RELU -> {
            H.data[k] = Math.max(0, z);
            dg.data[k] = z > 0 ? 1 : 0;
          }
          case TANH -> {
            H.data[k] = Math.tanh(z);
            dg.data[k] = 1 - H.data[k] * H.data[k];
          }
          default -> {
            H.data[k] = 1 / (1 + Math.exp(-z));
            dg.data[k] = H.data[k] * (1 - H.data[k]);
          }
        }
      }
      DMatrixRMaj Z2 = new DMatrixRMaj(N, 3);
      CommonOps_DDRM.multTransB(H, W2, Z2);
      addRow(Z2, b2);
      // δ₂ = (softmax(Z₂) − Y)/N
      DMatrixRMaj d2 = new DMatrixRMaj(N, 3);
      for (int i = 0; i < N; i++) {
        double norm = 0;
        for (int j = 0; j < 3; j++) {
          norm += Math.exp(Z2.get(i, j));
        }
        for (int j = 0; j < 3; j++) {
          d2.set(i, j, (Math.exp(Z2.get(i, j)) / norm - Y.get(i, j)) / N);
        }
      }
      DMatrixRMaj gW2 = new DMatrixRMaj(3, 4);
      CommonOps_DDRM.multTransA(d2, H, gW2);
      CommonOps_DDRM.addEquals(gW2, lambda, W2);
      DMatrixRMaj gb2 = CommonOps_DDRM.sumCols(d2, null);
      DMatrixRMaj d1 = new DMatrixRMaj(N, 4);
      CommonOps_DDRM.mult(d2, W2, d1);
      CommonOps_DDRM.elementMult(d1, dg);
      DMatrixRMaj gW1 = new DMatrixRMaj(4, 5);
      CommonOps_DDRM.multTransA(d1, X, gW1);
      CommonOps_DDRM.addEquals(gW1, lambda, W1);
      DMatrixRMaj gb1 = CommonOps_DDRM.sumCols(d1, null);

      Map<Parameter, Node> bound = vars.bound();
      List<DMatrixRMaj> expected = List.of(gW1, gb1, gW2, gb2);
      for (int i = 0; i < 4; i++) {
        Parameter p = m.parameters().get(i);
        assertArrayEquals(expected.get(i).data, grads.get(bound.get(p)).data, 1e-14,
            g + ": " + p.name());
      }
    }
  }

  static void addRow(DMatrixRMaj m, DMatrixRMaj row) {
    for (int i = 0; i < m.numRows; i++) {
      for (int j = 0; j < m.numCols; j++) {
        m.add(i, j, row.get(0, j));
      }
    }
  }

  @Test
  void objectiveIsLPlusSWithSOverWeightsOnly() {
    Mlp m = Mlp.builder(2).hidden(3, Activation.RELU).output(1).seed(2).build();
    m.layers().get(0).b().value().fill(5); // biases must not count in s
    Tape tape = new Tape();
    Objective.Terms t = new Objective(Losses.HALF_SQUARED_ERROR, 0.5).evaluate(m,
        tape.constant("X", new DMatrixRMaj(1, 2, true, 1, 2)),
        tape.constant("Y", new DMatrixRMaj(1, 1, true, 3)), Bindings.constants(tape));
    double sumSq = 0;
    for (Parameter W : m.weights()) {
      sumSq += CommonOps_DDRM.elementSumAbs(elementSquare(W.value()));
    }
    assertEquals(0.25 * sumSq, t.s().scalar(), 1e-15);
    assertEquals(t.L().scalar() + t.s().scalar(), t.J().scalar(), 0);
    Objective.Terms plain = new Objective(Losses.HALF_SQUARED_ERROR, 0).evaluate(m,
        tape.constant("X", new DMatrixRMaj(1, 2, true, 1, 2)),
        tape.constant("Y", new DMatrixRMaj(1, 1, true, 3)), Bindings.constants(tape));
    assertEquals(0, plain.s().scalar());
    assertEquals(t.L().scalar(), plain.J().scalar(), 0);
  }

  static DMatrixRMaj elementSquare(DMatrixRMaj m) {
    DMatrixRMaj s = m.copy();
    CommonOps_DDRM.elementMult(s, m);
    return s;
  }

  @Test
  void badArchitecturesAndInputsAreRejected() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Mlp.builder(0))
        .getMessage().contains("got 0"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> Mlp.builder(3).hidden(-2, Activation.RELU)).getMessage().contains("got -2"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> Mlp.builder(3).hidden(2, Activation.RELU).build()).getMessage()
        .contains("output"));
    Mlp m = Mlp.builder(3).output(2).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> m.predict(new DMatrixRMaj(4, 5)));
    assertTrue(e.getMessage().contains("takes 3 inputs") && e.getMessage().contains("4×5"),
        e.getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> new Objective(Losses.MEAN_SQUARED_ERROR, -0.1)).getMessage().contains("-0.1"));
  }

  @Test
  void classifyPicksTheLargestLogitAndSoftmaxOutputsSumToOne() {
    Mlp m = Mlp.builder(3).hidden(4, Activation.TANH).output(3, Activation.SOFTMAX).seed(8)
        .build();
    DMatrixRMaj X = Matrices.random(new Random(9), 7, 3);
    DMatrixRMaj p = m.predict(X);
    int[] c = m.classify(X);
    for (int i = 0; i < 7; i++) {
      assertEquals(1, p.get(i, 0) + p.get(i, 1) + p.get(i, 2), 1e-15);
      for (int j = 0; j < 3; j++) {
        assertTrue(p.get(i, c[i]) >= p.get(i, j));
      }
    }
  }

  /** A row of X holding a NaN gets no class: an accuracy would count it as a prediction. */
  @Test
  void classifyRefusesARowOfNaNNamingIt() {
    Mlp m = Mlp.builder(2).hidden(3, Activation.TANH).output(2).seed(1).build();
    DMatrixRMaj X = new DMatrixRMaj(new double[][] {{0.5, 1}, {Double.NaN, Double.NaN}});
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> m.classify(X));
    assertEquals("X has NaN at row 1, column 0: no class can be predicted for that row",
        e.getMessage());
    m.layers().get(0).W().value().set(0, 0, Double.NaN); // diverged parameters
    e = assertThrows(IllegalArgumentException.class,
        () -> m.classify(new DMatrixRMaj(new double[][] {{0.5, 1}})));
    assertEquals("classify: the logits of row 0 hold a NaN (the parameters may have diverged)",
        e.getMessage());
  }
}
