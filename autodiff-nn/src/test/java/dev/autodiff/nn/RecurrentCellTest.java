package dev.autodiff.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autodiff.core.Node;
import dev.autodiff.core.Tape;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

class RecurrentCellTest {
  /** The three cells, each made from (in, hidden, seed). */
  static final List<BiFunction<int[], Long, RecurrentCell>> CELLS = List.of(
      (w, seed) -> new RnnCell(w[0], w[1], new Random(seed)),
      (w, seed) -> new GruCell(w[0], w[1], new Random(seed)),
      (w, seed) -> new LstmCell(w[0], w[1], new Random(seed)));

  static RecurrentCell make(int cell, int in, int hidden, long seed) {
    return CELLS.get(cell).apply(new int[] {in, hidden}, seed);
  }

  @Test
  void parametersInPyTorchsLayout() {
    Map<String, Parameter> rnn = new RnnCell(2, 3, new Random(1)).namedParameters();
    assertEquals(List.of("Wx", "Wh", "b"), List.copyOf(rnn.keySet()));
    Map<String, Parameter> gru = new GruCell(2, 3, new Random(1)).namedParameters();
    assertEquals(List.of("Wx", "Wh", "bx", "bh"), List.copyOf(gru.keySet()));
    Map<String, Parameter> lstm = new LstmCell(2, 3, new Random(1)).namedParameters();
    assertEquals(List.of("Wx", "Wh", "b"), List.copyOf(lstm.keySet()));
    assertShape(3, 2, rnn.get("Wx"));
    assertShape(3, 3, rnn.get("Wh"));
    assertShape(1, 3, rnn.get("b"));
    assertShape(9, 2, gru.get("Wx"));
    assertShape(9, 3, gru.get("Wh"));
    assertShape(1, 9, gru.get("bh"));
    assertShape(12, 2, lstm.get("Wx"));
    assertShape(12, 3, lstm.get("Wh"));
    assertShape(1, 12, lstm.get("b"));
    for (Map<String, Parameter> m : List.of(rnn, gru, lstm)) {
      m.forEach((name, p) -> assertEquals(name.startsWith("W") ? Parameter.Kind.WEIGHT
          : Parameter.Kind.BIAS, p.kind(), name));
    }
  }

  static void assertShape(int rows, int cols, Parameter p) {
    assertEquals(rows + "×" + cols, p.rows() + "×" + p.cols(), p.name());
  }

  @Test
  void everyWeightAndBiasIsUniformOnPlusMinusOneOverSqrtHidden() {
    for (int c = 0; c < CELLS.size(); c++) {
      RecurrentCell cell = make(c, 300, 100, 7);
      double limit = 1 / Math.sqrt(100);
      for (Parameter p : cell.parameters()) {
        assertTrue(CommonOps_DDRM.elementMaxAbs(p.value()) <= limit, cell + " " + p);
        // U(±a) has variance a²/3; the weights hold at least 30,000 draws: within 3%
        if (p.isWeight()) {
          assertEquals(limit * limit / 3, MlpTest.variance(p.value()), limit * limit / 3 * 0.03,
              cell + " " + p);
        }
      }
    }
  }

  @Test
  void sameSeedSameCellBitForBit() {
    for (int c = 0; c < CELLS.size(); c++) {
      List<Parameter> a = make(c, 4, 5, 3).parameters();
      List<Parameter> b = make(c, 4, 5, 3).parameters();
      List<Parameter> other = make(c, 4, 5, 4).parameters();
      for (int i = 0; i < a.size(); i++) {
        assertArrayEquals(a.get(i).value().data, b.get(i).value().data);
        assertFalse(Arrays.equals(a.get(i).value().data, other.get(i).value().data));
      }
    }
  }

  @Test
  void forwardIsOneStepFromTheZeroState() {
    for (int c = 0; c < CELLS.size(); c++) {
      RecurrentCell cell = make(c, 2, 3, 5);
      Tape tape = new Tape();
      Bindings p = Bindings.constants(tape);
      Node x = tape.constant("x", Matrices.random(new Random(6), 4, 2));
      RecurrentCell.State zero = cell.zeroState(tape, 4);
      assertEquals(0, CommonOps_DDRM.elementMaxAbs(zero.h().value()));
      if (cell.hasMemory()) {
        assertEquals(0, CommonOps_DDRM.elementMaxAbs(zero.c().value()));
      } else {
        assertNull(zero.c());
      }
      assertArrayEquals(cell.step(x, zero, p).h().value().data, cell.forward(x, p).value().data,
          0);
    }
  }

  @Test
  void anInputOfTheWrongWidthIsRejectedNamingTheCellAndBothWidthsBeforeAnyWork() {
    for (int c = 0; c < CELLS.size(); c++) {
      RecurrentCell cell = make(c, 2, 3, 5);
      Tape tape = new Tape();
      Node x = tape.constant("x", new DMatrixRMaj(4, 5));
      RecurrentCell.State zero = cell.zeroState(tape, 4);
      int recorded = tape.size();
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> cell.step(x, zero, Bindings.constants(tape)));
      String name = cell.getClass().getSimpleName();
      assertEquals(name + "(2 → 3): x (4×5) has 5 columns, but this cell takes 2 input columns "
          + "(and keeps 3 hidden)", e.getMessage());
      assertEquals(recorded, tape.size(), "nothing recorded");
    }
  }

  @Test
  void aStateOfTheWrongShapeIsRejected() {
    RecurrentCell gru = new GruCell(2, 3, new Random(1));
    Tape tape = new Tape();
    Node x = tape.constant("x", new DMatrixRMaj(4, 2));
    RecurrentCell.State tooFew = gru.zeroState(tape, 3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> gru.step(x, tooFew, Bindings.constants(tape)));
    assertEquals("GruCell(2 → 3): the state's h is h0 (3×3), but an input of 4 rows needs 4×3 "
        + "(hidden width 3, input width 2)", e.getMessage());
    RecurrentCell lstm = new LstmCell(2, 3, new Random(1));
    RecurrentCell.State noMemory = RecurrentCell.State.of(lstm.zeroState(tape, 4).h());
    e = assertThrows(IllegalArgumentException.class,
        () -> lstm.step(x, noMemory, Bindings.constants(tape)));
    assertEquals("LstmCell(2 → 3): the state has no c", e.getMessage());
  }

  @Test
  void badWidthsAreRejected() {
    for (int c = 0; c < CELLS.size(); c++) {
      int cell = c;
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> make(cell, 0, 3, 1));
      assertTrue(e.getMessage().endsWith("needs an input width > 0 and a hidden width > 0, got 0 "
          + "and 3"), e.getMessage());
    }
  }
}
