package dev.autodiff.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/** Training on shares of each batch, as workers compute them, against one machine. */
class GradientSourceTest {
  /**
   * The data cut into contiguous partitions (some empty), each with a model of its own that gets
   * the driver's parameters before every step, as a broadcast would give them.
   */
  static final class Partitions implements GradientSource {
    final Data data;
    final Loss loss;
    final int[] starts;
    final List<Module> replicas = new ArrayList<>();
    final List<CompiledObjective> compiled = new ArrayList<>();

    Partitions(Data data, Loss loss, int[] starts, LongFunction<Module> factory) {
      this.data = data;
      this.loss = loss;
      this.starts = starts;
      for (int p = 0; p < starts.length; p++) {
        Module m = factory.apply(100 + p); // other initial values: the broadcast must overwrite
        replicas.add(m);
        compiled.add(new Objective(loss, 0).compile(m, 5));
      }
    }

    @Override
    public int size() {
      return data.size();
    }

    @Override
    public Loss loss() {
      return loss;
    }

    @Override
    public LossGradient lossGradient(Module model, int[] indices, long step) {
      List<PartialGradient> shares = new ArrayList<>();
      for (int p = 0; p < starts.length; p++) {
        int from = starts[p];
        int to = p + 1 < starts.length ? starts[p + 1] : data.size();
        int[] mine = Arrays.stream(indices).filter(i -> i >= from && i < to).toArray();
        Map<String, Parameter> theirs = replicas.get(p).namedParameters();
        model.namedParameters().forEach((path, q) -> theirs.get(path).value().setTo(q.value()));
        Data rows = mine.length == 0 ? null : data.rows(mine);
        shares.add(rows == null ? PartialGradient.empty()
            : PartialGradient.of(compiled.get(p), rows.X(), rows.Y(), step));
      }
      return PartialGradient.combine(shares, loss, model);
    }
  }

  static final Data DATA = TrainerOptionsTest.classes(90, 4);
  static final int[] STARTS = {0, 20, 20, 55}; // the second partition is empty

  @Test
  void theCombinedGradientIsTheWholeBatchGradient() {
    Mlp m = TrainerOptionsTest.model(1);
    Objective objective = new Objective(Losses.SOFTMAX_CROSS_ENTROPY_WITH_LOGITS, 0.01);
    int[] batch = java.util.stream.IntStream.range(0, 90).map(i -> (i * 37) % 90).toArray();
    Partitions source = new Partitions(DATA, objective.loss(), STARTS,
        TrainerOptionsTest::model);
    GradientSource.LossGradient lg = source.lossGradient(m, batch, 0);
    Data whole = DATA.rows(batch);
    CompiledObjective.Evaluation e = objective.compile(m, 5).evaluate(whole.X(), whole.Y(), 0);
    assertEquals(e.L(), lg.L(), 1e-12 * e.L());
    double worst = 0;
    for (Map.Entry<String, Parameter> entry : m.namedParameters().entrySet()) {
      DMatrixRMaj expected = e.gradient().get(entry.getValue());
      DMatrixRMaj actual = lg.gradient().get(entry.getKey()).copy();
      if (entry.getValue().isWeight()) { // J's gradient has λW, the source's L only
        org.ejml.dense.row.CommonOps_DDRM.addEquals(actual, 0.01, entry.getValue().value());
      }
      for (int k = 0; k < expected.getNumElements(); k++) {
        worst = Math.max(worst, Math.abs(expected.data[k] - actual.data[k])
            / Math.max(1e-3, Math.abs(expected.data[k])));
      }
    }
    assertTrue(worst < 1e-12, "worst relative difference " + worst);
  }

  /** Five steps on shares give one machine's parameters to 1e-10; for a summed loss too. */
  @Test
  void trainingOnSharesFollowsOneMachine() {
    for (Loss loss : List.of(Losses.SOFTMAX_CROSS_ENTROPY_WITH_LOGITS,
        Losses.HALF_SQUARED_ERROR)) {
      Trainer.Builder b = Trainer.builder(new Objective(loss, 0.01), Optimizer.adam(0.01))
          .batchSize(18).maxEpochs(1).seed(2).clipNorm(5)
          .schedule(Schedule.warmUp(3)); // 90/18 = 5 steps
      Mlp one = TrainerOptionsTest.model(1);
      History h1 = b.build().fit(one, DATA);
      Mlp shared = TrainerOptionsTest.model(1);
      History h2 = Trainer.builder(new Objective(loss, 0.01), Optimizer.adam(0.01))
          .batchSize(18).maxEpochs(1).seed(2).clipNorm(5).schedule(Schedule.warmUp(3)).build()
          .fit(shared, new Partitions(DATA, loss, STARTS, TrainerOptionsTest::model));
      assertEquals(h1.last().J(), h2.last().J(), 1e-12 * h1.last().J());
      for (int i = 0; i < one.parameters().size(); i++) {
        double[] a = one.parameters().get(i).value().data;
        double[] c = shared.parameters().get(i).value().data;
        for (int k = 0; k < a.length; k++) {
          assertEquals(a[k], c[k], 1e-10, loss.name());
        }
      }
    }
  }

  @Test
  void aSourceForAnotherLossOrWithMicroBatchesIsRejected() {
    Partitions source = new Partitions(DATA, Losses.MEAN_SQUARED_ERROR, STARTS,
        TrainerOptionsTest::model);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Trainer.builder(new Objective(Losses.SOFTMAX_CROSS_ENTROPY_WITH_LOGITS, 0),
            Optimizer.sgd(0.1)).build().fit(TrainerOptionsTest.model(1), source));
    assertEquals("the gradient source computes mean squared error, but the objective's loss is "
        + "softmax cross-entropy", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Trainer.builder(new Objective(Losses.MEAN_SQUARED_ERROR, 0), Optimizer.sgd(0.1))
            .accumulate(2).build().fit(TrainerOptionsTest.model(1), source));
    assertTrue(e.getMessage().contains("a gradient source splits its batches itself"));
    e = assertThrows(IllegalArgumentException.class, () -> PartialGradient.of(
        new Objective(Losses.MEAN_SQUARED_ERROR, 0.1).compile(TrainerOptionsTest.model(1), 1),
        DATA.X(), DATA.Y(), 0));
    assertTrue(e.getMessage().contains("without the penalty"), e.getMessage());
  }
}
