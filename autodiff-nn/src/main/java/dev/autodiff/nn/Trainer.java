package dev.autodiff.nn;

import dev.autodiff.core.Plan;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.ejml.data.DMatrixRMaj;

/**
 * Mini-batch training of J = L + s for any {@link Module}: each epoch shuffles the examples
 * (seeded), takes one optimizer step per batch, and stops on seed 003's criteria — |J_{k+1} − J_k|
 * &lt; ε₁, or ‖∇J‖ &lt; ε₂ — on early stopping, or after the maximum number of epochs.
 *
 * <pre>{@code
 * Trainer trainer = Trainer.builder(new Objective(Losses.SOFTMAX_CROSS_ENTROPY_WITH_LOGITS, 0),
 *     Optimizer.adam(1e-3)).batchSize(64).maxEpochs(5).seed(1).build();
 * History history = trainer.fit(model, Data.of(X, Y));
 * }</pre>
 *
 * <p>J is recorded once per batch size and compiled into a {@link Plan}; each batch is copied into
 * the plan's input buffers and run. A step may clip the gradient (by norm, or by value), sum it
 * over micro-batches, and take its learning rate from a {@link Schedule}. With a checkpoint file,
 * every k epochs the model, the optimizer's state and the position are written to it, and {@link
 * #resume} continues from it exactly as the uninterrupted run would have.
 */
public final class Trainer {
  private final Objective objective;
  private final Optimizer optimizer;
  private final int batchSize;
  private final boolean dropLast;
  private final int maxEpochs;
  private final double epsilon1;
  private final double epsilon2;
  private final long seed;
  private final boolean progress;
  private final Schedule schedule;
  private final double clipNorm;
  private final double clipValue;
  private final int microBatches;
  private final Data validation;
  private final int patience;
  private final Path checkpoint;
  private final int checkpointEvery;
  private final int checkpointSteps;
  private final Map<String, ToDoubleFunction<Module>> metrics;

  private Trainer(Builder b) {
    this.objective = b.objective;
    this.optimizer = b.optimizer;
    this.batchSize = b.batchSize;
    this.dropLast = b.dropLast;
    this.maxEpochs = b.maxEpochs;
    this.epsilon1 = b.epsilon1;
    this.epsilon2 = b.epsilon2;
    this.seed = b.seed;
    this.progress = b.progress;
    this.schedule = b.schedule;
    this.clipNorm = b.clipNorm;
    this.clipValue = b.clipValue;
    this.microBatches = b.microBatches;
    this.validation = b.validation;
    this.patience = b.patience;
    this.checkpoint = b.checkpoint;
    this.checkpointEvery = b.checkpointEvery;
    this.checkpointSteps = b.checkpointSteps;
    this.metrics = new LinkedHashMap<>(b.metrics);
  }

  /** A builder for a trainer of this objective with this optimizer. */
  public static Builder builder(Objective objective, Optimizer optimizer) {
    return new Builder(objective, optimizer);
  }

  /** The optimizer it steps. */
  public Optimizer optimizer() {
    return optimizer;
  }

  /** L, s and J of one step, before its update, and ‖∇J‖ over all parameters before clipping. */
  public record Step(double L, double s, double J, double gradientNorm) {}

  /**
   * One optimizer step on a batch: J = L + s, backward, clipping, update, on the plan this trainer
   * keeps for the model and the batch's size (the same numbers as {@link #fit}). X and Y Not
   * modified; the model's parameters Modified.
   */
  public Step step(Module model, DMatrixRMaj X, DMatrixRMaj Y) {
    Data data = Data.of(X, Y);
    int[] all = new int[data.size()];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    return local(model, data).take(all, 0, all.length, optimizer.steps(), 0, 0);
  }

  /** Trains on X and Y, as {@link #fit(Module, Data)} on {@code Data.of(X, Y)}. */
  public History fit(Module model, DMatrixRMaj X, DMatrixRMaj Y) {
    return fit(model, Data.of(X, Y));
  }

  /**
   * Trains until a stopping criterion holds. The data Not modified; the model's parameters
   * Modified.
   *
   * @throws IllegalArgumentException for bad data or a model that does not fit it, before any step
   * @throws IllegalStateException when J is not finite; that step makes no update
   */
  public History fit(Module model, Data data) {
    return start(model, data).run(new ModelFile.Position(0, optimizer.steps(), Double.NaN),
        optimizer.learningRate());
  }

  /**
   * Trains on a data set whose batches' loss gradients the source computes (across a cluster,
   * say), adding the penalty s and its gradient once, here; everything else as {@link
   * #fit(Module, Data)}, except micro-batches, which are the source's affair.
   */
  public History fit(Module model, GradientSource source) {
    return start(model, source).run(new ModelFile.Position(0, optimizer.steps(), Double.NaN),
        optimizer.learningRate());
  }

  /**
   * Continues training from a checkpoint this trainer wrote (see {@link Builder#checkpoint}): the
   * model's parameters, the optimizer's state and the position are restored from it, and the run
   * goes on to the maximum number of epochs with the same batches, masks and rates as the run that
   * wrote it — the same parameters at the end, bit for bit. The history holds the epochs run here.
   * Early stopping's count of epochs without improvement starts again.
   *
   * @throws IOException for a missing or bad file, or one that does not fit the model or the
   *     optimizer; nothing is changed then
   */
  public History resume(Path from, Module model, Data data) throws IOException {
    double base = optimizer.learningRate();
    ModelFile.Contents c = ModelFile.read(from);
    if (c.position() == null) {
      throw new ModelFileException(from + ": the file is not a checkpoint of a training run "
          + "(no position in it)");
    }
    Run run = start(model, data);
    ModelFile.Position p = ModelFile.restore(from, c, model, optimizer);
    return run.run(p, base);
  }

  /** {@link #resume(Path, Module, Data)} for a data set a gradient source computes on. */
  public History resume(Path from, Module model, GradientSource source) throws IOException {
    double base = optimizer.learningRate();
    ModelFile.Contents c = ModelFile.read(from);
    if (c.position() == null) {
      throw new ModelFileException(from + ": the file is not a checkpoint of a training run "
          + "(no position in it)");
    }
    Run run = start(model, source);
    ModelFile.Position p = ModelFile.restore(from, c, model, optimizer);
    return run.run(p, base);
  }

  /** Checks local data and records the first batch's graph: a misfit fails before any step. */
  private Run start(Module model, Data data) {
    checkData(model, data);
    checkSize(data.size());
    compiled(model).prepare(batchSize / microBatches, data.X().numCols, data.Y().numCols);
    return new Run(model, data.size(), local(model, data));
  }

  private Run start(Module model, GradientSource source) {
    Objects.requireNonNull(model, "model");
    if (!source.loss().equals(objective.loss())) {
      throw new IllegalArgumentException("the gradient source computes " + source.loss().name()
          + ", but the objective's loss is " + objective.loss().name());
    }
    if (microBatches != 1) {
      throw new IllegalArgumentException("accumulate(" + microBatches + ") is for local data; a "
          + "gradient source splits its batches itself");
    }
    checkSize(source.size());
    return new Run(model, source.size(), remote(model, source));
  }

  private void checkSize(int n) {
    if (batchSize > n) {
      throw new IllegalArgumentException("batch size " + batchSize + " is larger than the data "
          + "set (" + n + " examples)");
    }
  }

  /** A training run over n examples, one batch at a time. */
  private final class Run {
    final Module model;
    final int n;
    final Batches batches;

    Run(Module model, int n, Batches batches) {
      this.model = model;
      this.n = n;
      this.batches = batches;
    }

    History run(ModelFile.Position at, double base) {
      Map<String, Parameter> byPath = model.namedParameters();
      int batches = dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
      double lastJ = at.lastJ();
      List<History.Epoch> epochs = new ArrayList<>();
      History.Stop stop = History.Stop.MAX_EPOCHS;
      Map<Parameter, DMatrixRMaj> best = null;
      double bestL = Double.POSITIVE_INFINITY;
      int sinceBest = 0;
      long step = at.steps();
      for (int epoch = at.epochs() + 1; epoch <= maxEpochs; epoch++) {
        long start = System.nanoTime();
        int[] order = order(seed, epoch, n);
        // a checkpoint within this epoch: its batches done and their sums
        boolean resumed = epoch == at.epochs() + 1;
        double L = resumed ? at.L() : 0;
        double s = resumed ? at.s() : 0;
        double J = resumed ? at.J() : 0;
        Map<Parameter, double[]> gradient = new LinkedHashMap<>();
        if (resumed) {
          at.gradient().forEach((path, d) -> gradient.put(byPath.get(path), d.clone()));
        }
        int examples = dropLast ? batches * batchSize : n;
        boolean due = false;
        try (ProgressBar bar = bar(epoch, batches)) {
          for (int b = resumed ? at.batches() : 0; b < batches; b++) {
            int from = b * batchSize;
            int to = Math.min(n, from + batchSize);
            if (schedule != null) {
              optimizer.learningRate(rate(base, step, epoch - 1 + b / (double) batches));
            }
            Step st = this.batches.take(order, from, to, step, epoch, b + 1);
            step++;
            double w = (to - from) / (double) examples;
            L += w * st.L();
            s += w * st.s();
            J += w * st.J();
            addEpoch(gradient, lastGradient, w);
            due = checkpointSteps > 0 && step % checkpointSteps == 0;
            if (due && b + 1 < batches) {
              Map<String, double[]> sums = new LinkedHashMap<>();
              byPath.forEach((path, p) -> {
                if (gradient.containsKey(p)) {
                  sums.put(path, gradient.get(p));
                }
              });
              saveCheckpoint(model, new ModelFile.Position(epoch - 1, step, lastJ, b + 1, L, s, J,
                  sums));
            }
            if (bar != null) {
              bar.step();
              bar.setExtraMessage(String.format("J %.4f", st.J()));
            }
          }
        }
        double norm = 0;
        for (double[] d : gradient.values()) {
          for (double v : d) {
            norm += v * v;
          }
        }
        norm = Math.sqrt(norm);
        double seconds = (System.nanoTime() - start) / 1e9;
        double validationL = validation == null ? Double.NaN
            : objective.loss().evaluate(model, validation);
        Map<String, Double> values = new LinkedHashMap<>();
        metrics.forEach((name, f) -> values.put(name, f.applyAsDouble(model)));
        History.Epoch e = new History.Epoch(epoch, L, s, J, norm, validationL, values, seconds);
        epochs.add(e);
        report(e);
        // a step checkpoint due at an epoch's last batch waits for the epoch's J: written here
        if (checkpoint != null && (due || checkpointEvery > 0 && epoch % checkpointEvery == 0)) {
          saveCheckpoint(model, new ModelFile.Position(epoch, step, J));
        }
        if (validation != null) {
          if (validationL < bestL) {
            bestL = validationL;
            best = copy(model);
            sinceBest = 0;
          } else if (++sinceBest >= patience) {
            stop = History.Stop.EARLY_STOPPING;
            break;
          }
        }
        if (!Double.isNaN(lastJ) && Math.abs(J - lastJ) < epsilon1) {
          stop = History.Stop.OBJECTIVE_CHANGE;
          break;
        }
        lastJ = J;
        if (norm < epsilon2) {
          stop = History.Stop.GRADIENT_NORM;
          break;
        }
      }
      if (best != null) {
        best.forEach((p, v) -> p.value().setTo(v));
      }
      return new History(epochs, stop);
    }
  }

  /** The order of the examples in an epoch: a shuffle seeded by the seed and the epoch. */
  static int[] order(long seed, int epoch, int n) {
    return Data.order(n, new Random(mix(seed, epoch)));
  }

  /** Mixes the seed and the epoch into the seed of that epoch's shuffle. */
  private static long mix(long seed, long epoch) {
    long z = seed + epoch * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** α₀ f from the schedule, never below the smallest normal double nor a NaN. */
  private double rate(double base, long step, double epochs) {
    double r = base * schedule.factor(step, epochs);
    if (!(r >= Double.MIN_NORMAL)) {
      // f underflows to 0 after about a thousand epochs of γ = 0.5: stop at the smallest normal
      return Double.MIN_NORMAL;
    }
    return Math.min(r, Double.MAX_VALUE);
  }

  private void saveCheckpoint(Module model, ModelFile.Position position) {
    try {
      ModelFile.write(ModelFile.encode(model, optimizer, position), checkpoint, out -> out);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(checkpoint + ": the checkpoint of epoch "
          + position.epochs() + " could not be written", e);
    }
  }

  private static Map<Parameter, DMatrixRMaj> copy(Module model) {
    Map<Parameter, DMatrixRMaj> c = new IdentityHashMap<>();
    model.parameters().forEach(p -> c.put(p, p.value().copy()));
    return c;
  }

  // ---- one step ------------------------------------------------------------------------------

  /** The compiled objective of the last model stepped or fitted. */
  private CompiledObjective compiled;
  /** The last step's gradient, by parameter: plan buffers, or a sum over micro-batches. */
  private Map<Parameter, DMatrixRMaj> lastGradient = new LinkedHashMap<>();

  private CompiledObjective compiled(Module model) {
    if (compiled == null || compiled.model() != model) {
      compiled = objective.compile(model, seed);
    }
    return compiled;
  }

  /** One step on the rows order[from..to): a batch, possibly in micro-batches. */
  private interface Batches {
    Step take(int[] order, int from, int to, long step, int epoch, int batch);
  }

  /** Batches of local data, each evaluated on the compiled objective. */
  private Batches local(Module model, Data data) {
    CompiledObjective c = compiled(model);
    return (order, from, to, step, epoch, batch) -> {
      int rows = to - from;
      int parts = Math.min(microBatches, rows);
      if (parts == 1) {
        CompiledObjective.Evaluation e = c.evaluate(data, order, from, to, step);
        checkFinite(e.J(), e.L(), e.s(), epoch, batch);
        return update(e.L(), e.s(), e.gradient());
      }
      // a mean loss: the batch's L is the size-weighted mean of the parts' L, and so is its
      // gradient; a summed loss: the sum, less the penalty's gradient counted parts − 1 times
      // too many
      boolean mean = objective.loss().averagesRows();
      double L = 0;
      double s = 0;
      Map<Parameter, DMatrixRMaj> sum = new LinkedHashMap<>();
      for (int i = 0; i < parts; i++) {
        int a = from + (int) ((long) rows * i / parts);
        int b = from + (int) ((long) rows * (i + 1) / parts);
        CompiledObjective.Evaluation e = c.evaluate(data, order, a, b, step * microBatches + i);
        checkFinite(e.J(), e.L(), e.s(), epoch, batch);
        double weight = mean ? (b - a) / (double) rows : 1;
        addInto(sum, e.gradient(), weight);
        L += weight * e.L();
        s = e.s();
      }
      if (!mean) {
        addPenaltyGradient(sum, -(parts - 1));
      }
      return update(L, s, sum);
    };
  }

  /** Batches whose loss gradient the source computes; s and its gradient added here, once. */
  private Batches remote(Module model, GradientSource source) {
    Map<String, Parameter> byPath = model.namedParameters();
    return (order, from, to, step, epoch, batch) -> {
      GradientSource.LossGradient lg = source.lossGradient(model,
          java.util.Arrays.copyOfRange(order, from, to), step);
      double s = objective.penalty(model);
      checkFinite(lg.L() + s, lg.L(), s, epoch, batch);
      Map<Parameter, DMatrixRMaj> gradient = new LinkedHashMap<>();
      for (Map.Entry<String, Parameter> e : byPath.entrySet()) {
        if (e.getValue().isTrainable()) {
          DMatrixRMaj g = lg.gradient().get(e.getKey());
          if (g == null) {
            throw new IllegalStateException("the gradient source gave no gradient for "
                + e.getKey());
          }
          gradient.put(e.getValue(), g); // the source's own matrices: clipping may change them
        }
      }
      addPenaltyGradient(gradient, 1);
      return update(lg.L(), s, gradient);
    };
  }

  /** gradient[W] += times·λW for each weight: the penalty's gradient ∂s/∂W = λW. Modified. */
  private void addPenaltyGradient(Map<Parameter, DMatrixRMaj> gradient, double times) {
    if (objective.lambda() == 0) {
      return;
    }
    gradient.forEach((p, g) -> {
      if (p.isWeight()) {
        org.ejml.dense.row.CommonOps_DDRM.addEquals(g, times * objective.lambda(), p.value());
      }
    });
  }

  private void checkFinite(double J, double L, double s, int epoch, int batch) {
    if (!Double.isFinite(J)) {
      throw new IllegalStateException(String.format("training diverged: J = %s (L = %s, s = %s)"
              + "%s with %s; the parameters are those before this step; try a smaller learning "
              + "rate", J, L, s, epoch > 0 ? " at epoch " + epoch + ", batch " + batch : "",
          optimizer));
    }
  }

  /** ‖g‖, clipping, the optimizer's step. gradient Modified by clipping. */
  private Step update(double L, double s, Map<Parameter, DMatrixRMaj> gradient) {
    double squared = 0;
    for (DMatrixRMaj d : gradient.values()) {
      for (int k = 0; k < d.getNumElements(); k++) {
        squared += d.data[k] * d.data[k];
      }
    }
    double norm = Math.sqrt(squared);
    clip(gradient, norm);
    optimizer.step(gradient);
    lastGradient = gradient;
    return new Step(L, s, L + s, norm);
  }

  /** Clips by value, then rescales to the maximum norm (PyTorch's clip_grad_norm_). Modified. */
  private void clip(Map<Parameter, DMatrixRMaj> gradient, double norm) {
    if (clipValue < Double.POSITIVE_INFINITY) {
      for (DMatrixRMaj d : gradient.values()) {
        for (int k = 0; k < d.getNumElements(); k++) {
          d.data[k] = Math.max(-clipValue, Math.min(clipValue, d.data[k]));
        }
      }
      norm = 0;
      for (DMatrixRMaj d : gradient.values()) {
        double f = org.ejml.dense.row.NormOps_DDRM.normF(d);
        norm += f * f;
      }
      norm = Math.sqrt(norm);
    }
    if (norm > clipNorm) {
      double f = clipNorm / norm;
      gradient.values().forEach(d -> org.ejml.dense.row.CommonOps_DDRM.scale(f, d));
    }
  }

  /** sum[p] += w·g[p], a copy made on first use. sum Modified. */
  private static void addInto(Map<Parameter, DMatrixRMaj> sum, Map<Parameter, DMatrixRMaj> g,
      double w) {
    g.forEach((p, d) -> {
      DMatrixRMaj acc = sum.get(p);
      if (acc == null) {
        acc = new DMatrixRMaj(d.numRows, d.numCols);
        sum.put(p, acc);
      }
      org.ejml.dense.row.CommonOps_DDRM.addEquals(acc, w, d);
    });
  }

  private static void addEpoch(Map<Parameter, double[]> sum, Map<Parameter, DMatrixRMaj> g,
      double w) {
    g.forEach((p, d) -> {
      double[] acc = sum.computeIfAbsent(p, k -> new double[d.getNumElements()]);
      for (int k = 0; k < acc.length; k++) {
        acc[k] += w * d.data[k];
      }
    });
  }

  // ---- reporting ------------------------------------------------------------------------------

  private ProgressBar bar(int epoch, int batches) {
    // a bar only on a terminal; elsewhere a line per epoch (report)
    if (!progress || System.console() == null) {
      return null;
    }
    return new ProgressBarBuilder().setTaskName("epoch " + epoch + "/" + maxEpochs)
        .setInitialMax(batches).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250)
        .build();
  }

  /** One line per epoch on stderr when progress is on and stderr is not a terminal (CI logs). */
  private void report(History.Epoch e) {
    if (progress && System.console() == null) {
      System.err.println(String.format(java.util.Locale.ROOT,
          "epoch %d/%d  J %.6g  L %.6g  s %.6g%s  %.1f s", e.epoch(), maxEpochs, e.J(), e.L(),
          e.s(), Double.isNaN(e.validationL()) ? ""
              : String.format(java.util.Locale.ROOT, "  validation L %.6g", e.validationL()),
          e.seconds()));
    }
  }

  private void checkData(Module model, Data data) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(data, "data");
    // the matrices may have changed since the data set was made: check again, before any step
    Data.requireFinite("X", data.X(), "training data must be finite; nothing was changed");
    Data.requireFinite("Y", data.Y(), "training data must be finite; nothing was changed");
    if (model instanceof Mlp mlp) {
      Architecture a = mlp.architecture();
      if (data.X().numCols != a.inputs()) {
        throw new IllegalArgumentException("X has " + data.X().numCols + " columns but the model "
            + "takes " + a.inputs() + " inputs");
      }
      if (data.Y().numCols != a.outputs()) {
        throw new IllegalArgumentException("Y has " + data.Y().numCols + " columns but the model "
            + "has " + a.outputs() + " outputs");
      }
    }
    if (validation != null && (validation.X().numCols != data.X().numCols
        || validation.Y().numCols != data.Y().numCols)) {
      throw new IllegalArgumentException("the validation set's X is " + validation.X().numRows
          + "×" + validation.X().numCols + " and Y " + validation.Y().numRows + "×"
          + validation.Y().numCols + ", the training set's " + data.X().numCols + " and "
          + data.Y().numCols + " columns");
    }
  }

  /** Batching, epochs, stopping, the rate schedule, clipping, accumulation, checkpoints. */
  public static final class Builder {
    private final Objective objective;
    private final Optimizer optimizer;
    private int batchSize = 32;
    private boolean dropLast;
    private int maxEpochs = 10;
    private double epsilon1 = 0;
    private double epsilon2 = 0;
    private long seed = 0;
    private boolean progress;
    private Schedule schedule;
    private double clipNorm = Double.POSITIVE_INFINITY;
    private double clipValue = Double.POSITIVE_INFINITY;
    private int microBatches = 1;
    private Data validation;
    private int patience;
    private Path checkpoint;
    private int checkpointEvery;
    private int checkpointSteps;
    private final Map<String, ToDoubleFunction<Module>> metrics = new LinkedHashMap<>();

    private Builder(Objective objective, Optimizer optimizer) {
      this.objective = Objects.requireNonNull(objective, "objective");
      this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
    }

    /** Examples per step; the last batch of an epoch may be smaller. Default 32. */
    public Builder batchSize(int batchSize) {
      if (batchSize <= 0) {
        throw new IllegalArgumentException("batch size must be > 0, got " + batchSize);
      }
      this.batchSize = batchSize;
      return this;
    }

    /** Drops an epoch's last batch when it is smaller than the batch size. Default false. */
    public Builder dropLast(boolean dropLast) {
      this.dropLast = dropLast;
      return this;
    }

    /** Default 10. */
    public Builder maxEpochs(int maxEpochs) {
      if (maxEpochs <= 0) {
        throw new IllegalArgumentException("the maximum number of epochs must be > 0, got "
            + maxEpochs);
      }
      this.maxEpochs = maxEpochs;
      return this;
    }

    /** Stop when |J_{k+1} − J_k| &lt; ε₁ or ‖∇J‖ &lt; ε₂; 0 turns a criterion off (the default). */
    public Builder tolerance(double epsilon1, double epsilon2) {
      if (!(epsilon1 >= 0 && epsilon2 >= 0)) {
        throw new IllegalArgumentException("tolerances must be >= 0, got ε₁ = " + epsilon1
            + " and ε₂ = " + epsilon2);
      }
      this.epsilon1 = epsilon1;
      this.epsilon2 = epsilon2;
      return this;
    }

    /** The seed of the shuffling and of random inputs such as dropout masks. Default 0. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** A value computed from the model after each epoch, kept in the history. */
    public Builder metric(String name, ToDoubleFunction<Module> f) {
      metrics.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(f, "metric"));
      return this;
    }

    /**
     * The learning rate before each step is the optimizer's rate when training starts times the
     * schedule's factor. Default: none, the rate is left as it is.
     */
    public Builder schedule(Schedule schedule) {
      this.schedule = Objects.requireNonNull(schedule, "schedule");
      return this;
    }

    /** Rescales a step's gradient, all parameters together, to norm at most max (> 0). */
    public Builder clipNorm(double max) {
      if (!(max > 0)) {
        throw new IllegalArgumentException("the gradient norm bound must be > 0, got " + max);
      }
      this.clipNorm = max;
      return this;
    }

    /** Clamps each entry of a step's gradient to [−max, max] (max > 0), before clipNorm. */
    public Builder clipValue(double max) {
      if (!(max > 0)) {
        throw new IllegalArgumentException("the gradient value bound must be > 0, got " + max);
      }
      this.clipValue = max;
      return this;
    }

    /**
     * Computes each batch's gradient as the sum over k micro-batches of nearly equal size (weighted
     * as the loss reduces rows), so that a batch too big for memory takes the same step. Default 1.
     */
    public Builder accumulate(int microBatches) {
      if (microBatches <= 0) {
        throw new IllegalArgumentException("the number of micro-batches must be > 0, got "
            + microBatches);
      }
      this.microBatches = microBatches;
      return this;
    }

    /**
     * Early stopping: after each epoch the loss L on the validation set (inference mode) is
     * recorded; training stops after {@code patience} epochs without a new lowest value, and the
     * parameters of the epoch with the lowest value are restored at the end.
     */
    public Builder earlyStopping(Data validation, int patience) {
      if (patience <= 0) {
        throw new IllegalArgumentException("patience must be > 0 epochs, got " + patience);
      }
      this.validation = Objects.requireNonNull(validation, "validation");
      this.patience = patience;
      return this;
    }

    /**
     * Every {@code every} epochs, writes the model, the optimizer's state and the position to
     * file atomically, for {@link Trainer#resume}.
     */
    public Builder checkpoint(Path file, int every) {
      if (every <= 0) {
        throw new IllegalArgumentException("checkpoints need a period > 0 epochs, got " + every);
      }
      checkpointFile(file);
      this.checkpointEvery = every;
      return this;
    }

    /**
     * Every {@code every} steps, writes the model, the optimizer's state and the position within
     * the epoch to file atomically, for {@link Trainer#resume}; with {@link #checkpoint} too, both
     * write the same file.
     */
    public Builder checkpointSteps(Path file, int every) {
      if (every <= 0) {
        throw new IllegalArgumentException("checkpoints need a period > 0 steps, got " + every);
      }
      checkpointFile(file);
      this.checkpointSteps = every;
      return this;
    }

    private void checkpointFile(Path file) {
      if (checkpoint != null && !checkpoint.equals(file)) {
        throw new IllegalArgumentException("one checkpoint file: " + checkpoint + " or " + file);
      }
      this.checkpoint = Objects.requireNonNull(file, "file");
    }

    /**
     * Shows progress: a bar per epoch on a terminal, otherwise one line per epoch on stderr.
     * Default off.
     */
    public Builder progress(boolean progress) {
      this.progress = progress;
      return this;
    }

    /** The trainer with these settings. */
    public Trainer build() {
      if (batchSize < microBatches) {
        throw new IllegalArgumentException("a batch of " + batchSize + " cannot be split into "
            + microBatches + " micro-batches");
      }
      return new Trainer(this);
    }
  }
}
