package dev.autodiff.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class DataTest {
  /** X's row i is (i, −i): a row's origin is visible in the split. */
  static Data numbered(int n) {
    DMatrixRMaj X = new DMatrixRMaj(n, 2);
    DMatrixRMaj Y = new DMatrixRMaj(n, 1);
    for (int i = 0; i < n; i++) {
      X.set(i, 0, i);
      X.set(i, 1, -i);
      Y.set(i, 0, 10 * i);
    }
    return Data.of(X, Y);
  }

  @Test
  void aSplitIsDisjointCompleteAndSeeded() {
    Data.Split s = numbered(50).split(0.2, 7);
    assertEquals(40, s.train().size());
    assertEquals(10, s.validation().size());
    int[] rows = IntStream.concat(Arrays.stream(column(s.train())),
        Arrays.stream(column(s.validation()))).sorted().toArray();
    assertArrayEquals(IntStream.range(0, 50).toArray(), rows);
    for (int i = 0; i < 40; i++) { // rows stay whole: X and Y move together
      assertEquals(-s.train().X().get(i, 0), s.train().X().get(i, 1), 0);
      assertEquals(10 * s.train().X().get(i, 0), s.train().Y().get(i, 0), 0);
    }
    assertArrayEquals(column(s.validation()), column(numbered(50).split(0.2, 7).validation()));
    assertEquals(false, Arrays.equals(column(s.validation()),
        column(numbered(50).split(0.2, 8).validation())));
  }

  static int[] column(Data d) {
    return IntStream.range(0, d.size()).map(i -> (int) d.X().get(i, 0)).toArray();
  }

  @Test
  void badDataIsRejectedNamingTheRowAndColumn() {
    DMatrixRMaj X = Matrices.random(new Random(1), 5, 3);
    X.set(3, 2, Double.NaN);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Data.of(X, new DMatrixRMaj(5, 1)));
    assertEquals("X has NaN at row 3, column 2: training data must be finite; nothing was "
        + "changed", e.getMessage());
    DMatrixRMaj Y = new DMatrixRMaj(5, 2);
    Y.set(4, 1, Double.NEGATIVE_INFINITY);
    e = assertThrows(IllegalArgumentException.class,
        () -> Data.of(new DMatrixRMaj(5, 3), Y));
    assertEquals("Y has -Infinity at row 4, column 1: training data must be finite; nothing was "
        + "changed", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Data.of(new DMatrixRMaj(5, 3), new DMatrixRMaj(4, 1)));
    assertEquals("X has 5 examples but Y has 4 target rows: the counts must match",
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> numbered(3).split(0.1, 1));
    assertEquals("a validation fraction of 0.1 of 3 examples leaves no validation example",
        e.getMessage());
  }

  /** A NaN put in after the data set was made is caught when training starts, before a step. */
  @Test
  void trainingChecksTheDataAgain() {
    Data d = numbered(8);
    d.X().set(5, 1, Double.POSITIVE_INFINITY);
    Mlp m = Mlp.builder(2).output(1).seed(1).build();
    DMatrixRMaj before = m.parameters().get(0).value().copy();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Trainer.builder(new Objective(Losses.MEAN_SQUARED_ERROR, 0), Optimizer.sgd(0.1))
            .batchSize(2).build().fit(m, d));
    assertEquals("X has Infinity at row 5, column 1: training data must be finite; nothing was "
        + "changed", e.getMessage());
    assertArrayEquals(before.data, m.parameters().get(0).value().data, 0);
  }
}
