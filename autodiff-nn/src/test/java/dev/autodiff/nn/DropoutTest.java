package dev.autodiff.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autodiff.core.Node;
import dev.autodiff.core.Tape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class DropoutTest {

  @Test
  void inferenceIsTheIdentity() {
    DMatrixRMaj X = Matrices.random(new Random(1), 4, 3);
    assertArrayEquals(X.data, new Dropout(0.5).predict(X).data, 0);
    Tape tape = new Tape();
    Node x = tape.constant("X", X);
    assertSame(x, new Dropout(0.5).forward(x, Bindings.constants(tape)));
  }

  /**
   * 100,000 entries kept with probability 0.7: the count kept is Binomial(100000, 0.7), mean
   * 70,000 and standard deviation √(100000·0.7·0.3) ≈ 145; within 5 of them, and each entry is 0
   * or 1/0.7.
   */
  @Test
  void theKeptShareIsWithinTheBinomialBoundAndKeptEntriesAreScaled() {
    DMatrixRMaj ones = new DMatrixRMaj(500, 200);
    ones.fill(1);
    Tape tape = new Tape();
    DMatrixRMaj y = new Dropout(0.3).forward(tape.constant("X", ones),
        Bindings.variables(tape, new Dropout(0.3), 17)).value();
    int kept = 0;
    for (int k = 0; k < y.getNumElements(); k++) {
      assertTrue(y.data[k] == 0 || y.data[k] == 1 / 0.7, () -> "entry " + y);
      kept += y.data[k] != 0 ? 1 : 0;
    }
    double sd = Math.sqrt(100_000 * 0.7 * 0.3);
    assertEquals(70_000, kept, 5 * sd);
  }

  /** Records the output of the dropout before it after every step: with X = 1, its mask. */
  private static final class Probe extends Module {
    final List<double[]> masks = new ArrayList<>();
    final Dropout dropout = module("dropout", new Dropout(0.5));

    @Override
    public Node forward(Node X, Bindings p) {
      Node y = dropout.forward(X, p);
      p.observe(y, v -> masks.add(Arrays.copyOf(v.data, v.getNumElements())));
      return y;
    }
  }

  private static List<double[]> trainingMasks(long seed) {
    DMatrixRMaj X = new DMatrixRMaj(6, 5);
    X.fill(1);
    DMatrixRMaj Y = Matrices.random(new Random(2), 6, 1);
    Probe probe = new Probe();
    Trainer.builder(new Objective(Losses.MEAN_SQUARED_ERROR, 0), Optimizer.sgd(0.1))
        .batchSize(6).maxEpochs(4).seed(seed).build()
        .fit(new Sequential(probe, new Linear(5, 1, new Random(3))), X, Y);
    return probe.masks;
  }

  @Test
  void aNewMaskEveryTrainerStepAndTheSameMasksForTheSameSeed() {
    List<double[]> masks = trainingMasks(7);
    assertEquals(4, masks.size());
    for (int i = 0; i < masks.size(); i++) {
      for (int j = i + 1; j < masks.size(); j++) {
        assertFalse(Arrays.equals(masks.get(i), masks.get(j)), "steps " + i + " and " + j);
      }
    }
    List<double[]> again = trainingMasks(7);
    for (int i = 0; i < masks.size(); i++) {
      assertArrayEquals(masks.get(i), again.get(i), 0, "step " + i);
    }
    assertFalse(Arrays.equals(masks.get(0), trainingMasks(8).get(0)), "another seed");
  }

  @Test
  void gradientsWithAFixedMaskPassTheChecker() {
    // each evaluation binds anew from seed 0, step 0: one mask for the whole check
    double worst = LayerCheck.overShapes(new int[][] {{1, 1}, {1, 4}, {5, 1}, {3, 7}, {6, 2}},
        width -> new Dropout(0.4));
    System.out.printf("Dropout: worst relative gradient error %.2e%n", worst);
  }

  @Test
  void aProbabilityOutsideZeroToOneIsRefused() {
    assertEquals("dropout needs a probability p in [0, 1), got 1.0",
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1)).getMessage());
    assertEquals("dropout needs a probability p in [0, 1), got NaN",
        assertThrows(IllegalArgumentException.class, () -> new Dropout(Double.NaN)).getMessage());
    DMatrixRMaj X = Matrices.random(new Random(1), 2, 2);
    Tape tape = new Tape();
    Node x = tape.constant("X", X);
    assertSame(x, new Dropout(0).forward(x, Bindings.variables(tape)), "p = 0 drops nothing");
  }
}
