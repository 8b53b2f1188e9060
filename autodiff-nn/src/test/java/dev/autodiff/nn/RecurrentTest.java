package dev.autodiff.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autodiff.core.Gradients;
import dev.autodiff.core.Node;
import dev.autodiff.core.Tape;
import dev.autodiff.core.check.GradientCheck;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

class RecurrentTest {
  /** T = 3 steps of 2 inputs, hidden width 3, N = 2: no two widths alike. */
  static final int T = 3;
  static final int IN = 2;
  static final int HIDDEN = 3;
  static final int N = 2;

  @Test
  void theUnrollOfEachCellPassesTheCheckerForParametersAndInput() {
    for (int c = 0; c < RecurrentCellTest.CELLS.size(); c++) {
      for (Recurrent.Output output : Recurrent.Output.values()) {
        Recurrent layer = new Recurrent(RecurrentCellTest.make(c, IN, HIDDEN, 3), output);
        Map<String, DMatrixRMaj> inputs = RecurrentChecks.named(layer,
            Map.of("X", Matrices.random(new Random(4), N, T * IN)));
        GradientCheck.Report r = GradientCheck.defaults().checkNamed(
            v -> RecurrentChecks.weighted(layer.forward(v.get("X"), RecurrentChecks.bind(v)), 5),
            inputs);
        assertTrue(r.passed(), layer + ", " + output + ":\n" + r);
      }
    }
  }

  @Test
  void theUnrollOfAnLstmPassesTheCheckerToSecondOrder() {
    Recurrent layer = new Recurrent(new LstmCell(IN, HIDDEN, new Random(3)));
    GradientCheck.defaults().checkSecondOrderNamed(
        v -> RecurrentChecks.weighted(layer.forward(v.get("X"), RecurrentChecks.bind(v)), 5),
        RecurrentChecks.named(layer, Map.of("X", Matrices.random(new Random(4), N, T * IN))))
        .assertPassed();
  }

  /** Step t of the output is the cell stepped t + 1 times from zero over columns [t·in, …). */
  @Test
  void theOutputHoldsEveryStepsHiddenStateAndLastTheFinalOne() {
    for (int c = 0; c < RecurrentCellTest.CELLS.size(); c++) {
      RecurrentCell cell = RecurrentCellTest.make(c, IN, HIDDEN, 3);
      DMatrixRMaj X = Matrices.random(new Random(4), N, T * IN);
      Tape tape = new Tape();
      Bindings p = Bindings.constants(tape);
      DMatrixRMaj all = new Recurrent(cell).forward(tape.constant("X", X), p).value();
      DMatrixRMaj last = new Recurrent(cell, Recurrent.Output.LAST)
          .forward(tape.constant("X", X), p).value();
      assertEquals(N + "×" + T * HIDDEN, all.numRows + "×" + all.numCols);
      RecurrentCell.State s = cell.zeroState(tape, N);
      for (int t = 0; t < T; t++) {
        DMatrixRMaj xt = CommonOps_DDRM.extract(X, 0, N, t * IN, (t + 1) * IN);
        s = cell.step(tape.constant("x" + t, xt), s, p);
        assertArrayEquals(s.h().value().data,
            CommonOps_DDRM.extract(all, 0, N, t * HIDDEN, (t + 1) * HIDDEN).data, 0, "step " + t);
      }
      assertArrayEquals(s.h().value().data, last.data, 0);
    }
  }

  @Test
  void oneLayerTakesSequencesOfAnyLength() {
    Recurrent layer = new Recurrent(new GruCell(IN, HIDDEN, new Random(1)));
    for (int steps : new int[] {1, 2, 7}) {
      DMatrixRMaj y = layer.predict(Matrices.random(new Random(steps), N, steps * IN));
      assertEquals(steps * HIDDEN, y.numCols);
    }
  }

  @Test
  void anInputThatIsNotWholeStepsIsRejectedNamingTheLayerAndBothWidthsBeforeAnyWork() {
    Recurrent layer = new Recurrent(new LstmCell(IN, HIDDEN, new Random(1)));
    Tape tape = new Tape();
    Node X = tape.constant("X", new DMatrixRMaj(N, 7));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> layer.forward(X, Bindings.constants(tape)));
    assertEquals("Recurrent(LstmCell(2 → 3)): X (2×7) has 7 columns, not a whole number of steps "
        + "of 2 input columns (hidden width 3)", e.getMessage());
    assertEquals(1, tape.size(), "nothing recorded after X");
  }

  @Test
  void theCellIsASubModule() {
    Recurrent layer = new Recurrent(new GruCell(IN, HIDDEN, new Random(1)),
        Recurrent.Output.LAST);
    assertEquals(List.of("cell.Wx", "cell.Wh", "cell.bx", "cell.bh"),
        List.copyOf(layer.namedParameters().keySet()));
    assertEquals("Recurrent(GruCell(2 → 3), last step)", layer.toString());
  }

  /**
   * The trainer's compiled plan runs the unrolled graph: its first step's J and ‖∇J‖ equal the
   * tape's, and training on a task that needs memory (the sum of the first input over the steps)
   * brings the loss down.
   */
  @Test
  void theTrainersPlanRunsTheUnrollAndLearns() {
    Random r = new Random(2);
    int n = 64;
    DMatrixRMaj X = Matrices.random(r, n, T * IN);
    DMatrixRMaj Y = new DMatrixRMaj(n, 1);
    for (int i = 0; i < n; i++) {
      for (int t = 0; t < T; t++) {
        Y.add(i, 0, X.get(i, t * IN) / T);
      }
    }
    Module model = new Sequential(new Recurrent(new LstmCell(IN, 8, new Random(3)),
        Recurrent.Output.LAST), new Linear(8, 1, new Random(4)));
    Objective objective = new Objective(Losses.MEAN_SQUARED_ERROR, 1e-3);
    double J;
    double norm = 0;
    try (Tape tape = new Tape()) {
      Bindings vars = Bindings.variables(tape, model, 0);
      Node j = objective.evaluate(model, tape.constant("X", X), tape.constant("Y", Y), vars).J();
      J = j.scalar();
      Gradients g = tape.backward(j);
      for (Node v : vars.variables().values()) {
        norm += Math.pow(org.ejml.dense.row.NormOps_DDRM.normF(g.get(v)), 2);
      }
    }
    Trainer trainer = Trainer.builder(objective, Optimizer.adam(0.01)).batchSize(16)
        .maxEpochs(40).seed(1).build();
    Trainer.Step first = trainer.step(model, X, Y);
    assertEquals(J, first.J(), 1e-12 * J);
    assertEquals(Math.sqrt(norm), first.gradientNorm(), 1e-10 * Math.sqrt(norm));
    History h = trainer.fit(model, X, Y);
    assertTrue(h.last().L() < first.L() / 10, first.L() + " → " + h.last().L());
  }
}
