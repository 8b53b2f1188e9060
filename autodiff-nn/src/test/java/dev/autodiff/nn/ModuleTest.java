package dev.autodiff.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autodiff.core.Node;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModuleTest {
  @TempDir
  Path dir;

  /** A user's module: a residual block y = x + W₂ relu(W₁ x + b₁), with a shared scale. */
  static final class Residual extends Module {
    final Linear inner;
    final Linear outer;
    final Parameter scale = bias("scale", new DMatrixRMaj(1, 1, true, 0.5));

    Residual(int width, Random random) {
      inner = module("inner", Linear.he(width, width, random));
      outer = module("outer", new Linear(width, width, random));
    }

    @Override
    public Node forward(Node x, Bindings p) {
      Node h = outer.forward(inner.forward(x, p).relu(), p);
      return x.add(h.mul(p.apply(scale)));
    }
  }

  static Module model(long seed) {
    Random random = new Random(seed);
    return new Sequential(Linear.he(3, 4, random), Activation.RELU.layer(),
        new Residual(4, random), new Linear(4, 2, random));
  }

  @Test
  void parametersAreNamedByTheirPath() {
    assertEquals(List.of("0.W", "0.b", "2.scale", "2.inner.W", "2.inner.b", "2.outer.W",
        "2.outer.b", "3.W", "3.b"), List.copyOf(model(1).namedParameters().keySet()));
    assertEquals(3 * 4 + 4 + 1 + 2 * (16 + 4) + 8 + 2, model(1).size());
    assertEquals("""
        Sequential(
          (0): Linear(3 → 4)
          (1): relu
          (2): Residual(
            (inner): Linear(4 → 4)
            (outer): Linear(4 → 4)
          )
          (3): Linear(4 → 2)
        )""", model(1).toString());
  }

  @Test
  void aNameIsUsedOnce() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Module() {
      final Parameter a = weight("W", new DMatrixRMaj(1, 1));
      final Module b = module("W", new Linear(1, 1, new Random(1)));

      @Override
      public Node forward(Node input, Bindings p) {
        return input;
      }
    });
    assertTrue(e.getMessage().contains("already has a parameter or module named 'W'"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new Parameter("a.b", new DMatrixRMaj(1, 1), Parameter.Kind.WEIGHT));
    assertTrue(e.getMessage().contains("without '.'"), e.getMessage());
  }

  @Test
  void anyModuleIsCheckedTrainedSavedAndLoaded() throws Exception {
    DMatrixRMaj X = Matrices.random(new Random(2), 8, 3);
    ModuleCheck.of(model(1)).check(X).assertPassed();
    ModuleCheck.of(model(1)).checkSecondOrder(X).assertPassed();

    DMatrixRMaj Y = Matrices.random(new Random(3), 8, 2);
    Module m = model(1);
    History h = Trainer.builder(new Objective(Losses.MEAN_SQUARED_ERROR, 1e-3),
        Optimizer.adam(0.01)).batchSize(4).maxEpochs(30).seed(1).build().fit(m, X, Y);
    assertTrue(h.last().J() < h.epochs().get(0).J() / 2, h.last() + " vs " + h.epochs().get(0));

    Path file = dir.resolve("residual.model");
    ModelFile.save(m, file);
    Module again = model(9);
    assertNotEquals(m.predict(X).get(0, 0), again.predict(X).get(0, 0));
    ModelFile.loadInto(file, again);
    assertArrayEquals(m.predict(X).data, again.predict(X).data, 0);
  }

  @Test
  void aFrozenModuleIsNotTrained() {
    DMatrixRMaj X = Matrices.random(new Random(2), 8, 3);
    DMatrixRMaj Y = Matrices.random(new Random(3), 8, 2);
    Sequential m = (Sequential) model(1);
    Module first = m.layers().get(0).freeze();
    DMatrixRMaj before = first.parameters().get(0).value().copy();
    DMatrixRMaj last = m.layers().get(3).parameters().get(0).value().copy();
    assertEquals(7, m.trainableParameters().size());
    ModuleCheck.of(m).check(X).assertPassed(); // frozen or not, the gradient is defined
    Trainer.builder(new Objective(Losses.MEAN_SQUARED_ERROR, 0.1), Optimizer.adam(0.01))
        .batchSize(4).maxEpochs(3).build().fit(m, X, Y);
    assertArrayEquals(before.data, first.parameters().get(0).value().data, 0);
    assertFalse(java.util.Arrays.equals(last.data,
        m.layers().get(3).parameters().get(0).value().data));

    m.freeze();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Trainer.builder(new Objective(Losses.MEAN_SQUARED_ERROR, 0), Optimizer.sgd(0.1))
            .batchSize(4).build().fit(m, X, Y));
    assertTrue(e.getMessage().contains("nothing to train"), e.getMessage());
    m.unfreeze();
    assertEquals(9, m.trainableParameters().size());
  }

  @Test
  void aModelThatDoesNotFitTheDataFailsBeforeAnyStep() {
    Module m = model(1);
    DMatrixRMaj before = m.parameters().get(0).value().copy();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Trainer.builder(new Objective(Losses.MEAN_SQUARED_ERROR, 0), Optimizer.sgd(0.1))
            .batchSize(2).build().fit(m, new DMatrixRMaj(4, 5), new DMatrixRMaj(4, 2)));
    assertEquals("linear 3→4: X is 2×5, but this layer takes 3 columns", e.getMessage());
    assertArrayEquals(before.data, m.parameters().get(0).value().data, 0);
  }
}
