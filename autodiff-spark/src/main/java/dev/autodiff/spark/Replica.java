package dev.autodiff.spark;

import dev.autodiff.nn.CompiledObjective;
import dev.autodiff.nn.Loss;
import dev.autodiff.nn.Module;
import dev.autodiff.nn.Objective;
import dev.autodiff.nn.Parameter;
import dev.autodiff.nn.PartialGradient;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.ejml.data.DMatrixRMaj;

/**
 * The executor's side of one partition of one training run: a replica of the model, made once
 * per executor JVM by the model factory, and its objective with λ = 0 (the driver adds s once),
 * compiled once and reused at every step. Each step copies the driver's parameters in and
 * evaluates the partition's share of the batch.
 *
 * <p>A share of n rows is evaluated in chunks whose sizes are the powers of two that sum to n,
 * largest first (n = 37: 32, 4, 1): a partition's share changes size from step to step, and this
 * way it needs at most ⌊log₂ n⌋ + 1 plans, all kept, instead of a plan for every size it meets.
 * The chunks' L and gradients are added as the loss reduces rows, in that order, so the same
 * share gives the same bits on any executor.
 */
final class Replica {
  /** Replicas by run and partition, for this JVM: executors keep them from step to step. */
  private static final Map<String, Replica> CACHE = new ConcurrentHashMap<>();
  /** How many replicas this JVM has made (tests: one per partition, not one per step). */
  static final AtomicInteger MADE = new AtomicInteger();

  private final Map<String, Parameter> parameters;
  private final Loss loss;
  private final CompiledObjective objective;
  /** Input buffers per chunk size. */
  private final Map<Integer, DMatrixRMaj[]> chunks = new HashMap<>();

  private Replica(Module model, Loss loss, double lambda, long seed) {
    this.parameters = model.namedParameters();
    this.loss = loss;
    this.objective = new Objective(loss, lambda).compile(model, seed);
  }

  /**
   * What makes a run's replicas on the executors: the model factory, the loss and λ (0 for a share
   * of a batch's gradient).
   */
  record Spec(String run, ModelFactory factory, LossRef loss, double lambda)
      implements java.io.Serializable {
    /** This JVM's replica for the run's partition, made on first use. */
    Replica of(int partition) {
      return CACHE.computeIfAbsent(run + "/" + partition, k -> {
        MADE.incrementAndGet();
        return new Replica(factory.create(), loss.get(), lambda, partition);
      });
    }
  }

  /** Forgets the run's replica of the partition, if this JVM has it. */
  static void drop(String run, int partition) {
    CACHE.remove(run + "/" + partition);
  }

  /**
   * The share of the block's given rows, at the parameters given by path. The block Not
   * modified; the replica's parameters Modified.
   */
  synchronized PartialGradient share(Map<String, double[]> values, Block block, int[] rows,
      long step) {
    load(values);
    int n = rows.length;
    double L = 0;
    Map<String, double[]> sum = new LinkedHashMap<>();
    int done = 0;
    for (int size = Integer.highestOneBit(n); size > 0; size >>= 1) {
      if ((n & size) == 0) {
        continue;
      }
      CompiledObjective.Evaluation e = evaluate(block, rows, done, size, step);
      if (!Double.isFinite(e.L())) {
        // no gradient: the driver's L is not finite either, and the trainer reports it
        return new PartialGradient(n, e.L(), Map.of());
      }
      double w = loss.averagesRows() ? size / (double) n : 1;
      L += w * e.L();
      parameters.forEach((path, p) -> {
        DMatrixRMaj g = e.gradient().get(p);
        if (g != null) {
          double[] acc = sum.computeIfAbsent(path, k -> new double[g.getNumElements()]);
          for (int k = 0; k < acc.length; k++) {
            acc[k] += w * g.data[k];
          }
        }
      });
      done += size;
    }
    return new PartialGradient(n, L, sum);
  }

  /**
   * The local steps of one round of parameter averaging: from the parameters given, an optimizer
   * step on each batch of the block's rows given, in order. Returns the rows used, their mean L
   * (as the loss reduces rows, the steps' L weighted by their rows) and the parameters reached.
   * The replica's parameters Modified.
   */
  synchronized ParameterAveraging.Local localSteps(Map<String, double[]> values, Block block,
      int[][] batches, long firstStep, dev.autodiff.nn.Optimizer optimizer) {
    load(values);
    int rows = 0;
    double L = 0;
    for (int t = 0; t < batches.length; t++) {
      CompiledObjective.Evaluation e = evaluate(block, batches[t], 0, batches[t].length,
          firstStep + t);
      if (!Double.isFinite(e.J())) {
        throw new IllegalStateException("local training diverged: J = " + e.J() + " at step "
            + (firstStep + t) + " of a partition of " + block.rows() + " examples; try a "
            + "smaller learning rate");
      }
      optimizer.step(e.gradient());
      rows += batches[t].length;
      L += batches[t].length * e.L();
    }
    Map<String, double[]> reached = new LinkedHashMap<>();
    parameters.forEach((path, p) -> reached.put(path,
        java.util.Arrays.copyOf(p.value().data, p.value().getNumElements())));
    return new ParameterAveraging.Local(rows, L / rows, reached);
  }

  private void load(Map<String, double[]> values) {
    values.forEach((path, v) -> {
      DMatrixRMaj p = parameters.get(path).value();
      System.arraycopy(v, 0, p.data, 0, p.getNumElements());
    });
  }

  /** The objective on rows[from..from + size) of the block, through size's input buffers. */
  private CompiledObjective.Evaluation evaluate(Block block, int[] rows, int from, int size,
      long draw) {
    DMatrixRMaj[] xy = chunks.computeIfAbsent(size, k -> new DMatrixRMaj[] {
        new DMatrixRMaj(k, block.X().numCols), new DMatrixRMaj(k, block.Y().numCols)});
    copyRows(block.X(), rows, from, xy[0]);
    copyRows(block.Y(), rows, from, xy[1]);
    return objective.evaluate(xy[0], xy[1], draw);
  }

  /** The rows rows[from..from + r.numRows) of m into r. m Not modified; r Modified. */
  private static void copyRows(DMatrixRMaj m, int[] rows, int from, DMatrixRMaj r) {
    for (int i = 0; i < r.numRows; i++) {
      System.arraycopy(m.data, rows[from + i] * m.numCols, r.data, i * m.numCols, m.numCols);
    }
  }
}
