package dev.autodiff.spark;

import dev.autodiff.core.Node;
import dev.autodiff.core.Tape;
import dev.autodiff.nn.Bindings;
import dev.autodiff.nn.Data;
import dev.autodiff.nn.GradientSource;
import dev.autodiff.nn.Loss;
import dev.autodiff.nn.Module;
import dev.autodiff.nn.Parameter;
import dev.autodiff.nn.PartialGradient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.ejml.data.DMatrixRMaj;

/**
 * A training set held in the partitions of a Spark RDD, whose batches' loss gradients the
 * partitions compute: {@code trainer.fit(model, source)} trains on it exactly as on one machine.
 *
 * <pre>{@code
 * SparkGradientSource source = SparkGradientSource.of(examples, 784, 10,
 *     Losses.SOFTMAX_CROSS_ENTROPY_WITH_LOGITS,
 *     () -> Mlp.builder(784).hidden(256, Activation.RELU).output(10).build());
 * trainer.fit(model, source);
 * }</pre>
 *
 * <p>Made, it numbers the examples (zipWithIndex), turns each partition into one block of two
 * matrices, caches the blocks and checks them in its first job. Each step broadcasts the model's
 * parameters (by path) and sends the batch's indices with its tasks; every partition takes the
 * examples of the batch it holds, copies the parameters into its executor's replica of the model
 * and returns its share, L and ∂L/∂θ over those rows ({@link PartialGradient}; a partition with
 * none returns the empty share). The driver collects the shares, which come back in partition
 * order, and adds them up in that order, so a step gives the same bits whatever order the tasks
 * finish in and whichever executors run them, retried or not. The trainer adds the penalty and
 * steps the optimizer.
 *
 * <p>A model whose training forward pass mixes rows (batch normalisation's batch statistics) or
 * draws random inputs (dropout) sees each partition's share as a batch of its own, so it does not
 * train as on one machine; the running statistics of batch normalisation are not brought back.
 * docs/DISTRIBUTED.md describes a step and its cost.
 */
public final class SparkGradientSource implements GradientSource, AutoCloseable {
  private final JavaSparkContext sc;
  private final Loss loss;
  private final LossRef lossRef;
  private final ModelFactory factory;
  private final String run = UUID.randomUUID().toString();
  private final Map<String, String> shapes = new LinkedHashMap<>();
  private final JavaRDD<Block> blocks;
  private final long[] rows;
  private final int size;
  /** The last model whose parameters matched the factory's. */
  private Module checked;
  /** A failure to inject into one task (tests). */
  private Fault fault;
  /** The data the examples are read from, when this source broadcast it. */
  private Broadcast<?> broadcast;

  private SparkGradientSource(JavaRDD<Example> examples, int inputs, int targets, Loss loss,
      ModelFactory factory) {
    Objects.requireNonNull(examples, "examples");
    this.loss = Objects.requireNonNull(loss, "loss");
    this.factory = Objects.requireNonNull(factory, "model factory");
    if (inputs <= 0 || targets <= 0) {
      throw new IllegalArgumentException("the declared widths must be > 0, got " + inputs
          + " inputs and " + targets + " targets");
    }
    this.lossRef = LossRef.of(loss);
    requireSerializable(factory);
    Module reference = factory.create();
    checkWidths(reference, inputs, targets, loss);
    reference.namedParameters().forEach((path, p) -> shapes.put(path, shape(p)));
    this.sc = JavaSparkContext.fromSparkContext(examples.context());

    // the first job numbers the examples, the second builds, checks and caches the blocks
    JavaRDD<Block> b = examples.zipWithIndex().mapPartitionsWithIndex(
        (p, it) -> List.of(Block.of(p, it, inputs, targets)).iterator(), true);
    this.blocks = b.persist(StorageLevel.MEMORY_ONLY());
    List<long[]> counts;
    try {
      counts = job(() -> blocks.map(x -> new long[] {x.partition(), x.rows()}).collect());
    } catch (RuntimeException e) {
      blocks.unpersist(false);
      throw e;
    }
    this.rows = new long[counts.size()];
    long total = 0;
    for (long[] c : counts) {
      rows[(int) c[0]] = c[1];
      total += c[1];
    }
    if (total == 0) {
      blocks.unpersist(false);
      throw new IllegalArgumentException("the data set is empty (none of its " + rows.length
          + " partitions holds an example)");
    }
    if (total > Integer.MAX_VALUE) {
      blocks.unpersist(false);
      throw new IllegalArgumentException(total + " examples: a gradient source numbers them "
          + "with int, at most " + Integer.MAX_VALUE);
    }
    this.size = (int) total;
  }

  /**
   * The examples of an RDD, each with {@code inputs} inputs and {@code targets} targets, trained
   * with the given loss on models the factory makes (the architecture being trained). Checks the
   * factory's model against the widths on the driver, before any job; then runs the jobs that
   * number, check and cache the examples.
   *
   * @throws IllegalArgumentException for a model that does not take rows of {@code inputs}
   *     entries or does not give {@code targets} outputs, naming both widths; a loss or a factory
   *     that cannot be sent to the executors; an example of another width, or with a NaN or ±∞,
   *     named by its index, its partition, its row there and its column; no examples at all
   */
  public static SparkGradientSource of(JavaRDD<Example> examples, int inputs, int targets,
      Loss loss, ModelFactory model) {
    return new SparkGradientSource(examples, inputs, targets, loss, model);
  }

  /**
   * The rows of data in the given number of partitions of nearly equal size, as {@link #of}: the
   * matrices are broadcast once, and partition p takes its rows from them. (An RDD made with
   * {@code parallelize(list)} carries its examples in its partitions, and Spark sends a task's
   * partition with the task: with every step.) Not modified.
   */
  public static SparkGradientSource of(JavaSparkContext sc, Data data, int partitions, Loss loss,
      ModelFactory model) {
    if (partitions <= 0) {
      throw new IllegalArgumentException("partitions must be > 0, got " + partitions);
    }
    Broadcast<DMatrixRMaj[]> rows = sc.broadcast(new DMatrixRMaj[] {data.X(), data.Y()});
    JavaRDD<Example> examples = sc.parallelize(
        java.util.stream.IntStream.range(0, partitions).boxed().toList(), partitions)
        .flatMap(p -> Example.rows(rows.value()[0], rows.value()[1],
            (int) ((long) rows.value()[0].numRows * p / partitions),
            (int) ((long) rows.value()[0].numRows * (p + 1) / partitions)).iterator());
    try {
      SparkGradientSource source = of(examples, data.X().numCols, data.Y().numCols, loss, model);
      source.broadcast = rows;
      return source;
    } catch (RuntimeException e) {
      rows.destroy();
      throw e;
    }
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public Loss loss() {
    return loss;
  }

  /** The number of partitions, and so of tasks in a step. */
  public int partitions() {
    return rows.length;
  }

  /** The number of examples in each partition, in partition order. */
  public long[] partitionSizes() {
    return rows.clone();
  }

  /**
   * One job: the batch's L and ∂L/∂θ, added up from the partitions' shares in partition order.
   * The model's parameters Not modified.
   *
   * @throws IllegalArgumentException for a model whose parameters are not those of the factory's
   *     model, or an index outside 0 … size() − 1, before the job
   */
  @Override
  public LossGradient lossGradient(Module model, int[] indices, long step) {
    checkIndices(Objects.requireNonNull(indices, "indices"));
    // the parameters are broadcast: an executor fetches them once for all its tasks; the
    // indices, 4 bytes an example, go with each task, which costs less than a broadcast's
    // registration and removal
    Broadcast<Map<String, double[]>> parameters = broadcast(model);
    try {
      return PartialGradient.combine(run(new Share(replicas(run, 0), parameters, indices, step,
          fault)), loss, model);
    } finally {
      parameters.destroy();
    }
  }

  /**
   * The model's parameters by path, broadcast, after a check that they are the factory's. Not
   * copied: a broadcast is serialized when made, and is to be destroyed before they change.
   */
  Broadcast<Map<String, double[]>> broadcast(Module model) {
    checkModel(Objects.requireNonNull(model, "model"));
    Map<String, double[]> values = new LinkedHashMap<>();
    model.namedParameters().forEach((path, p) -> {
      DMatrixRMaj v = p.value();
      values.put(path, v.data.length == v.getNumElements() ? v.data
          : java.util.Arrays.copyOf(v.data, v.getNumElements()));
    });
    return sc.broadcast(values);
  }

  /** One job of the task on every partition's block; the results in partition order. */
  <T> List<T> run(Function2<Integer, Iterator<Block>, Iterator<T>> task) {
    return job(() -> blocks.mapPartitionsWithIndex(task, true).collect());
  }

  /** Where the executors that hold the blocks run the job, forgets the run's replicas. */
  void dropReplicas(String run) {
    blocks.mapPartitionsWithIndex((p, it) -> {
      Replica.drop(run, p);
      return Collections.<Integer>emptyIterator();
    }, true).count();
  }

  /** What the executors need to make this source's replicas for a run, with the given λ. */
  Replica.Spec replicas(String run, double lambda) {
    return new Replica.Spec(run, factory, lossRef, lambda);
  }

  Fault fault() {
    return fault;
  }

  /**
   * Drops the cached blocks and, where the executors that hold them run the job, the replicas of
   * this source. The source cannot be used afterwards.
   */
  @Override
  public void close() {
    try {
      dropReplicas(run);
    } finally {
      blocks.unpersist(false);
      if (broadcast != null) {
        broadcast.destroy();
      }
    }
  }

  /** Makes the first attempt of the partition's task at the step fail (tests). */
  void failFirstAttempt(int partition, long step) {
    this.fault = new Fault(partition, step);
  }

  // ---- checks on the driver ---------------------------------------------------------------

  /** Records the model on one row of zeros of the declared width, in inference mode. */
  private static void checkWidths(Module model, int inputs, int targets, Loss loss) {
    int outputs;
    try (Tape tape = new Tape()) {
      Node X = tape.constant("X", new DMatrixRMaj(1, inputs));
      Bindings p = Bindings.constants(tape, model);
      outputs = (loss.fromLogits() ? model.logits(X, p) : model.forward(X, p)).cols();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the model does not take the declared input width of "
          + inputs + ": " + e.getMessage(), e);
    }
    if (outputs != targets) {
      throw new IllegalArgumentException("the model gives " + outputs + " outputs per row, but "
          + "the declared target width is " + targets);
    }
  }

  private static void requireSerializable(ModelFactory factory) {
    try (ObjectOutputStream out = new ObjectOutputStream(new ByteArrayOutputStream())) {
      out.writeObject(factory);
    } catch (IOException e) {
      throw new IllegalArgumentException("the model factory cannot be sent to the executors: "
          + e + " (a lambda that captures something not Serializable?)", e);
    }
  }

  private void checkModel(Module model) {
    if (model == checked) {
      return;
    }
    Map<String, Parameter> ps = model.namedParameters();
    for (Map.Entry<String, String> e : shapes.entrySet()) {
      Parameter p = ps.get(e.getKey());
      if (p == null || !shape(p).equals(e.getValue())) {
        throw new IllegalArgumentException("the model being trained has " + (p == null
            ? "no parameter '" + e.getKey() + "'" : "'" + e.getKey() + "' " + shape(p))
            + ", the model factory's '" + e.getKey() + "' " + e.getValue() + ": the factory "
            + "must build the architecture being trained");
      }
    }
    if (ps.size() != shapes.size()) {
      throw new IllegalArgumentException("the model being trained has parameters "
          + ps.keySet() + ", the model factory's " + shapes.keySet());
    }
    checked = model;
  }

  private void checkIndices(int[] indices) {
    if (indices.length == 0) {
      throw new IllegalArgumentException("the batch is empty");
    }
    for (int i = 0; i < indices.length; i++) {
      if (indices[i] < 0 || indices[i] >= size) {
        throw new IllegalArgumentException("the batch's index " + i + " is " + indices[i]
            + ", outside the data set's 0 … " + (size - 1));
      }
    }
  }

  private static String shape(Parameter p) {
    return p.rows() + "×" + p.cols();
  }

  /**
   * Runs a job; a task's own exception (a bad example, say) is thrown again here, as it was
   * thrown there, instead of Spark's wrapper.
   */
  private static <T> T job(Supplier<T> job) {
    try {
      return job.get();
    } catch (Exception e) { // SparkException is checked, though Scala does not declare it
      for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
        if (t instanceof IllegalArgumentException) {
          throw new IllegalArgumentException(t.getMessage(), e);
        }
        if (t instanceof IllegalStateException) {
          throw new IllegalStateException(t.getMessage(), e);
        }
      }
      if (e instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("the Spark job failed: " + e.getMessage(), e);
    }
  }

  // ---- on the executors ---------------------------------------------------------------------

  /** A step's task: the share of one partition. Holds only what it sends to the executors. */
  private record Share(Replica.Spec replicas, Broadcast<Map<String, double[]>> parameters,
      int[] batch, long step, Fault fault)
      implements Function2<Integer, Iterator<Block>, Iterator<PartialGradient>> {
    @Override
    public Iterator<PartialGradient> call(Integer partition, Iterator<Block> blocks) {
      Block block = Fault.next(blocks, fault, partition, step);
      int[] mine = block.pick(batch);
      if (mine.length == 0) {
        return List.of(PartialGradient.empty()).iterator();
      }
      return List.of(replicas.of(partition).share(parameters.value(), block, mine, step))
          .iterator();
    }
  }

  /** A failure of the first attempt of one partition's task at one step. */
  record Fault(int partition, long step) implements Serializable {
    private static final long serialVersionUID = 1L;
    /** How many tasks have failed so in this JVM (tests, in local mode). */
    static final java.util.concurrent.atomic.AtomicInteger FIRED =
        new java.util.concurrent.atomic.AtomicInteger();

    /** The partition's block, after the fault, if there is one, has struck. */
    static Block next(Iterator<Block> blocks, Fault fault, int partition, long step) {
      if (fault != null) {
        fault.apply(partition, step);
      }
      return blocks.next();
    }

    void apply(int p, long s) {
      if (p == partition && s == step && TaskContext.get().attemptNumber() == 0) {
        FIRED.incrementAndGet();
        throw new IllegalStateException("injected failure of partition " + p + "'s task at step "
            + s + " (attempt 0)");
      }
    }
  }
}
