package dev.autodiff.spark;

import dev.autodiff.nn.Module;
import dev.autodiff.nn.Objective;
import dev.autodiff.nn.Optimizer;
import dev.autodiff.nn.Parameter;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.UUID;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.ejml.data.DMatrixRMaj;

/**
 * Local steps with parameter averaging, the scheme of DL4J's ParameterAveragingTrainingMaster:
 * each round every partition starts from the driver's parameters, takes k optimizer steps of its
 * own on batches of its own examples, and the driver sets the model to the partitions' parameters
 * averaged, weighted by the examples each used. A round moves the parameters to and from each
 * executor once, as one synchronous step does, for k steps' work: where the network is the
 * bottleneck it trains more examples a second (docs/DISTRIBUTED.md, the cost model).
 *
 * <pre>{@code
 * double[] L = ParameterAveraging.builder(new Objective(loss, 1e-4), () -> Optimizer.sgd(0.05))
 *     .batchSize(64).averageEvery(8).rounds(100).build().fit(model, source);
 * }</pre>
 *
 * <p>It is not one machine's training: each partition's steps see only its examples, and its
 * optimizer starts anew each round (momentum and Adam's moments do not carry over, so plain SGD
 * suits it best). Its numbers depend on the partitioning, and are the same from run to run and
 * after retried tasks or lost executors, a round's result depending only on the parameters, the
 * data and the round. Partition p's examples are taken in an order shuffled by the seed, p and
 * the pass over them, b at a time; a partition with fewer examples passes over them more often.
 */
public final class ParameterAveraging {
  private final Objective objective;
  private final OptimizerFactory optimizer;
  private final int batchSize;
  private final int every;
  private final int rounds;
  private final long seed;

  private ParameterAveraging(Builder b) {
    this.objective = b.objective;
    this.optimizer = b.optimizer;
    this.batchSize = b.batchSize;
    this.every = b.every;
    this.rounds = b.rounds;
    this.seed = b.seed;
  }

  public static Builder builder(Objective objective, OptimizerFactory optimizer) {
    return new Builder(objective, optimizer);
  }

  /** A partition's round: the rows its steps used, their mean L, the parameters it reached. */
  record Local(int rows, double L, Map<String, double[]> parameters) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * Trains the model for the given number of rounds; returns each round's L, the partitions'
   * local steps' L averaged by rows. The model's parameters Modified (statistics averaged too).
   *
   * @throws IllegalArgumentException for a source whose loss is not the objective's, or a model
   *     that is not the source's factory's, before any job
   */
  public double[] fit(Module model, SparkGradientSource source) {
    Objects.requireNonNull(source, "source");
    if (!source.loss().equals(objective.loss())) {
      throw new IllegalArgumentException("the gradient source holds data for "
          + source.loss().name() + ", but the objective's loss is " + objective.loss().name());
    }
    String run = UUID.randomUUID().toString();
    double[] L = new double[rounds];
    try {
      for (int r = 0; r < rounds; r++) {
        Broadcast<Map<String, double[]>> parameters = source.broadcast(model);
        try {
          L[r] = average(source.run(new Round(source.replicas(run, objective.lambda()),
              optimizer, parameters, batchSize, every, seed, r, source.fault())), model);
        } finally {
          parameters.destroy();
        }
      }
    } finally {
      source.dropReplicas(run);
    }
    return L;
  }

  /** Sets the model's parameters to the weighted mean of the partitions', in partition order. */
  private static double average(List<Local> locals, Module model) {
    long rows = locals.stream().mapToLong(Local::rows).sum();
    double L = 0;
    for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
      DMatrixRMaj v = e.getValue().value();
      Arrays.fill(v.data, 0, v.getNumElements(), 0);
      for (Local local : locals) {
        if (local.rows() > 0) {
          double w = local.rows() / (double) rows;
          double[] theirs = local.parameters().get(e.getKey());
          for (int k = 0; k < v.getNumElements(); k++) {
            v.data[k] += w * theirs[k];
          }
        }
      }
    }
    for (Local local : locals) {
      L += local.rows() == 0 ? 0 : local.rows() / (double) rows * local.L();
    }
    return L;
  }

  /**
   * The rows of a partition of n examples that its local step t uses: batch t mod m of pass
   * t / m (m = ⌈n / b⌉ batches a pass) over an order shuffled by the seed, the partition and the
   * pass.
   */
  static int[] batch(long seed, int partition, int n, int b, long t) {
    long perPass = (n + b - 1) / b;
    long pass = t / perPass;
    int i = (int) (t % perPass);
    List<Integer> order = new java.util.ArrayList<>(java.util.stream.IntStream.range(0, n)
        .boxed().toList());
    java.util.Collections.shuffle(order,
        new Random(seed ^ (0x9E3779B97F4A7C15L * (partition + 1)) ^ (pass << 32)));
    return order.subList(i * b, Math.min(n, (i + 1) * b)).stream().mapToInt(Integer::intValue)
        .toArray();
  }

  /** A round's task: one partition's k local steps. */
  private record Round(Replica.Spec replicas, OptimizerFactory optimizer,
      Broadcast<Map<String, double[]>> parameters, int batchSize, int every, long seed,
      int round, SparkGradientSource.Fault fault)
      implements Function2<Integer, Iterator<Block>, Iterator<Local>> {
    @Override
    public Iterator<Local> call(Integer partition, Iterator<Block> blocks) {
      Block block = SparkGradientSource.Fault.next(blocks, fault, partition, round);
      if (block.rows() == 0) {
        return List.of(new Local(0, 0, Map.of())).iterator();
      }
      long first = (long) round * every;
      int[][] batches = new int[every][];
      for (int t = 0; t < every; t++) {
        batches[t] = batch(seed, partition, block.rows(), batchSize, first + t);
      }
      Optimizer o = optimizer.create();
      return List.of(replicas.of(partition).localSteps(parameters.value(), block, batches, first,
          o)).iterator();
    }
  }

  /** The batch size per partition, the number of local steps between averages, the rounds. */
  public static final class Builder {
    private final Objective objective;
    private final OptimizerFactory optimizer;
    private int batchSize = 32;
    private int every = 5;
    private int rounds = 10;
    private long seed;

    private Builder(Objective objective, OptimizerFactory optimizer) {
      this.objective = Objects.requireNonNull(objective, "objective");
      this.optimizer = Objects.requireNonNull(optimizer, "optimizer factory");
    }

    /** Examples per local step on each partition (the last of a pass may have fewer). 32. */
    public Builder batchSize(int batchSize) {
      if (batchSize <= 0) {
        throw new IllegalArgumentException("batch size must be > 0, got " + batchSize);
      }
      this.batchSize = batchSize;
      return this;
    }

    /** k, the local steps of a partition between two averages (DL4J's default, 5). */
    public Builder averageEvery(int steps) {
      if (steps <= 0) {
        throw new IllegalArgumentException("the parameters are averaged every k > 0 local "
            + "steps, got k = " + steps);
      }
      this.every = steps;
      return this;
    }

    /** The number of rounds (averages) to train for. Default 10. */
    public Builder rounds(int rounds) {
      if (rounds <= 0) {
        throw new IllegalArgumentException("rounds must be > 0, got " + rounds);
      }
      this.rounds = rounds;
      return this;
    }

    /** The seed of each partition's shuffles. Default 0. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public ParameterAveraging build() {
      return new ParameterAveraging(this);
    }
  }
}
