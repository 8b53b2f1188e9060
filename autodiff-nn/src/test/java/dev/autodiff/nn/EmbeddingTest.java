package dev.autodiff.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.autodiff.core.Node;
import dev.autodiff.core.Tape;
import dev.autodiff.core.check.GradientCheck;
import java.util.List;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

class EmbeddingTest {

  @Test
  void eachRowIsTheTableRowsAtItsIdsOneAfterAnother() {
    Embedding e = new Embedding(5, 3, new Random(1));
    DMatrixRMaj W = e.W().value();
    DMatrixRMaj X = new DMatrixRMaj(new double[][] {{4, 0}, {2, 2}, {1, 4}});
    DMatrixRMaj Y = e.predict(X);
    assertEquals(3, Y.numRows);
    assertEquals(6, Y.numCols);
    for (int n = 0; n < 3; n++) {
      for (int t = 0; t < 2; t++) {
        for (int j = 0; j < 3; j++) {
          assertEquals(W.get((int) X.get(n, t), j), Y.get(n, t * 3 + j), 0);
        }
      }
    }
  }

  @Test
  void initialisedFromTheStandardNormalSameSeedSameValues() {
    DMatrixRMaj W = new Embedding(200, 100, new Random(3)).W().value();
    // 20,000 draws: the sample mean within 0.03 (4 sd), the variance within 5% (3.5 sd)
    assertEquals(0, CommonOps_DDRM.elementSum(W) / W.getNumElements(), 0.03);
    assertEquals(1, MlpTest.variance(W), 0.05);
    assertArrayEquals(W.data, new Embedding(200, 100, new Random(3)).W().value().data, 0);
  }

  @Test
  void gradientsOfTheTablePassTheChecker() {
    double worst = 0;
    // 1×1 ids into a 1×1 table; a row of ids; a column of ids; a batch of N×T ids
    List<DMatrixRMaj> ids = List.of(new DMatrixRMaj(1, 1), new DMatrixRMaj(1, 4, true, 3, 0, 3, 1),
        new DMatrixRMaj(3, 1, true, 2, 2, 0), new DMatrixRMaj(new double[][] {{0, 4}, {4, 4},
            {1, 3}}));
    int[][] tables = {{1, 1}, {4, 3}, {3, 2}, {5, 2}};
    for (int k = 0; k < ids.size(); k++) {
      Embedding e = new Embedding(tables[k][0], tables[k][1], new Random(k));
      GradientCheck.Report r = LayerCheck.check(e, ids.get(k), false).assertPassed();
      worst = Math.max(worst, r.maxRelError());
    }
    System.out.printf("Embedding: worst relative gradient error %.2e%n", worst);
  }

  @Test
  void idsThatAreNoRowsOrNoWholeNumbersOrVariablesAreRefusedNamingThem() {
    Embedding e = new Embedding(4, 2, new Random(1));
    assertEquals("gatherRowsAt: id 4 of X at (1, 0) is not a row of the 4 (0 to 3) of W (4×2)",
        assertThrows(IllegalArgumentException.class,
            () -> e.predict(new DMatrixRMaj(new double[][] {{0, 1}, {4, 2}}))).getMessage());
    assertEquals("gatherRowsAt: X has 2.5 at (0, 1), which is not a row id: gatherRowsAt needs "
            + "every entry a whole number",
        assertThrows(ArithmeticException.class,
            () -> e.predict(new DMatrixRMaj(new double[][] {{0, 2.5}}))).getMessage());
    Tape tape = new Tape();
    Node X = tape.variable("X", new DMatrixRMaj(3, 2));
    assertEquals("Embedding(4, 2): the ids X (3×2) must be a constant of whole numbers, not a "
            + "variable",
        assertThrows(IllegalArgumentException.class,
            () -> e.forward(X, Bindings.variables(tape))).getMessage());
    assertEquals("an embedding needs vocabulary > 0 and width > 0, got 0 and 2",
        assertThrows(IllegalArgumentException.class, () -> new Embedding(0, 2, new Random(1)))
            .getMessage());
  }

  /**
   * The trainer records J once and copies each batch's ids into the plan's buffer: its steps are
   * those of a new tape recorded on each batch, bit for bit: the rows each batch looks up.
   */
  @Test
  void aTrainedPlanLooksUpEachBatchsIdsLikeANewTapePerStep() {
    Random r = new Random(8);
    int n = 40;
    DMatrixRMaj X = new DMatrixRMaj(n, 3);
    DMatrixRMaj Y = new DMatrixRMaj(n, 1);
    for (int i = 0; i < n; i++) {
      for (int t = 0; t < 3; t++) {
        X.set(i, t, r.nextInt(7));
      }
      Y.set(i, 0, X.get(i, 0) - 0.5 * X.get(i, 2) + 0.1 * r.nextGaussian());
    }
    Objective objective = new Objective(Losses.MEAN_SQUARED_ERROR, 1e-3);
    Module fitted = model();
    Trainer.builder(objective, Optimizer.adam(0.01)).batchSize(8).maxEpochs(3).seed(5).build()
        .fit(fitted, X, Y);

    Module stepped = model();
    Optimizer adam = Optimizer.adam(0.01);
    for (int epoch = 1; epoch <= 3; epoch++) {
      int[] order = Trainer.order(5, epoch, n);
      for (int from = 0; from < n; from += 8) {
        DMatrixRMaj x = new DMatrixRMaj(8, 3);
        DMatrixRMaj y = new DMatrixRMaj(8, 1);
        Data.copyRows(X, order, from, from + 8, x);
        Data.copyRows(Y, order, from, from + 8, y);
        Tape tape = new Tape();
        Bindings p = Bindings.variables(tape, stepped, 5);
        Node J = objective.evaluate(stepped, tape.constant("X", x), tape.constant("Y", y), p).J();
        adam.step(p, tape.backward(J));
      }
    }
    for (int k = 0; k < fitted.parameters().size(); k++) {
      assertArrayEquals(stepped.parameters().get(k).value().data,
          fitted.parameters().get(k).value().data, 0, fitted.parameters().get(k).name());
    }
  }

  private static Module model() {
    Random random = new Random(4);
    return new Sequential(new Embedding(7, 2, random), new Linear(6, 1, random));
  }
}
