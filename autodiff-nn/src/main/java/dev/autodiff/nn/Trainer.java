package dev.autodiff.nn;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import dev.autodiff.core.Gradients;
import dev.autodiff.core.Node;
import dev.autodiff.core.Plan;
import dev.autodiff.core.Tape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.ejml.data.DMatrixRMaj;

/**
 * Mini-batch training of J = L + s: each epoch shuffles the rows (seeded), takes one optimizer step
 * per batch, and stops on seed 003's criteria — |J_{k+1} − J_k| &lt; ε₁, or ‖∇J‖ &lt; ε₂, or the
 * maximum number of epochs.
 *
 * <pre>{@code
 * Trainer trainer = Trainer.builder(new Objective(Losses.SOFTMAX_CROSS_ENTROPY_WITH_LOGITS, 0),
 *     Optimizer.adam(1e-3)).batchSize(64).maxEpochs(5).seed(1).build();
 * History history = trainer.fit(model, X, Y);
 * }</pre>
 */
public final class Trainer {
  private final Objective objective;
  private final Optimizer optimizer;
  private final int batchSize;
  private final int maxEpochs;
  private final double epsilon1;
  private final double epsilon2;
  private final long seed;
  private final boolean progress;
  private final double decay;
  private final Map<String, ToDoubleFunction<Mlp>> metrics;

  private Trainer(Builder b) {
    this.objective = b.objective;
    this.optimizer = b.optimizer;
    this.batchSize = b.batchSize;
    this.maxEpochs = b.maxEpochs;
    this.epsilon1 = b.epsilon1;
    this.epsilon2 = b.epsilon2;
    this.seed = b.seed;
    this.progress = b.progress;
    this.decay = b.decay;
    this.metrics = new LinkedHashMap<>(b.metrics);
  }

  public static Builder builder(Objective objective, Optimizer optimizer) {
    return new Builder(objective, optimizer);
  }

  /** L, s and J of one step, before its update, and ‖∇J‖ over all parameters. */
  public record Step(double L, double s, double J, double gradientNorm) {}

  /**
   * One optimizer step on a batch: J = L + s, backward, update, on the plan this trainer keeps for
   * the model and the batch's size (the same numbers as {@link #fit}). X (N×inputs) and Y
   * (N×outputs) Not modified; the model's parameters Modified.
   */
  public Step step(Mlp model, DMatrixRMaj X, DMatrixRMaj Y) {
    checkData(model, X, Y);
    Recording r = recording(model, X.numRows);
    r.X.setTo(X);
    r.Y.setTo(Y);
    return step(r, null, 1, 0, 0);
  }

  /** The plans of the last model stepped or fitted, one per batch size. */
  private final Map<Integer, Recording> recordings = new HashMap<>();
  private Mlp recorded;

  /** The plan for the model and this batch size, compiled on first use. */
  private Recording recording(Mlp model, int rows) {
    if (model != recorded) {
      recordings.clear();
      recorded = model;
    }
    return recordings.computeIfAbsent(rows, n -> new Recording(model, n));
  }

  /**
   * J = L + s recorded once on batch buffers X and Y and compiled into a plan: each batch of the
   * size is copied into the buffers and the plan run.
   */
  private final class Recording {
    final DMatrixRMaj X;
    final DMatrixRMaj Y;
    final Bindings vars;
    final Objective.Terms t;
    final Plan plan;

    Recording(Mlp model, int rows) {
      X = new DMatrixRMaj(rows, model.architecture().inputs());
      Y = new DMatrixRMaj(rows, model.architecture().outputs());
      Tape tape = new Tape();
      vars = Bindings.variables(tape);
      t = objective.evaluate(model, tape.constant("X", X), tape.constant("Y", Y), vars);
      plan = Plan.compile(t.J(), new ArrayList<>(vars.bound().values()), List.of(t.L(), t.s()));
    }
  }

  private Step step(Recording r, Map<Parameter, double[]> sum, double weight, int epoch,
      int batch) {
    r.plan.forward();
    double L = r.plan.value(r.t.L()).get(0, 0);
    double s = r.plan.value(r.t.s()).get(0, 0);
    double J = r.plan.value(r.t.J()).get(0, 0);
    if (!Double.isFinite(J)) {
      throw new IllegalStateException(String.format("training diverged: J = %s (L = %s, s = %s)%s"
              + " with %s; the parameters are those before this step; try a smaller learning rate",
          J, L, s, epoch > 0 ? " at epoch " + epoch + ", batch " + batch : "", optimizer));
    }
    Gradients g = r.plan.backward();
    Bindings vars = r.vars;
    double squared = 0;
    for (Map.Entry<Parameter, Node> e : vars.bound().entrySet()) {
      if (!g.has(e.getValue())) {
        continue;
      }
      DMatrixRMaj d = g.get(e.getValue());
      double[] acc = sum == null ? null
          : sum.computeIfAbsent(e.getKey(), k -> new double[d.getNumElements()]);
      for (int k = 0; k < d.getNumElements(); k++) {
        squared += d.data[k] * d.data[k];
        if (acc != null) {
          acc[k] += weight * d.data[k];
        }
      }
    }
    optimizer.step(vars, g);
    return new Step(L, s, J, Math.sqrt(squared));
  }

  /**
   * Trains until a stopping criterion holds. X (N×inputs) and Y (N×outputs, e.g. one-hot rows) Not
   * modified; the model's parameters Modified.
   *
   * @throws IllegalArgumentException for bad data, before any step
   * @throws IllegalStateException when J is not finite; that step makes no update
   */
  public History fit(Mlp model, DMatrixRMaj X, DMatrixRMaj Y) {
    checkData(model, X, Y);
    int n = X.numRows;
    checkArgument(batchSize <= n, "batch size %s is larger than the data set (%s examples)",
        batchSize, n);
    Random random = new Random(seed);
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    int batches = (n + batchSize - 1) / batchSize;
    List<History.Epoch> epochs = new ArrayList<>();
    History.Stop stop = History.Stop.MAX_EPOCHS;
    for (int epoch = 1; epoch <= maxEpochs; epoch++) {
      long start = System.nanoTime();
      shuffle(order, random);
      double L = 0;
      double s = 0;
      double J = 0;
      Map<Parameter, double[]> gradient = new LinkedHashMap<>();
      try (ProgressBar bar = bar(epoch, batches)) {
        for (int from = 0; from < n; from += batchSize) {
          int to = Math.min(n, from + batchSize);
          double w = (to - from) / (double) n;
          // one plan per batch size (the last batch may be smaller), run on each batch
          Recording r = recording(model, to - from);
          rows(X, order, from, to, r.X);
          rows(Y, order, from, to, r.Y);
          Step st = step(r, gradient, w, epoch, from / batchSize + 1);
          L += w * st.L();
          s += w * st.s();
          J += w * st.J();
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
      Map<String, Double> values = new LinkedHashMap<>();
      metrics.forEach((name, f) -> values.put(name, f.applyAsDouble(model)));
      epochs.add(new History.Epoch(epoch, L, s, J, norm, values, seconds));
      if (decay != 1) {
        // γᵏ underflows to 0 after about a thousand epochs of γ = 0.5: the rate stops at the
        // smallest normal double instead, so a schedule never makes an invalid rate
        optimizer.learningRate(Math.max(optimizer.learningRate() * decay, Double.MIN_NORMAL));
      }
      if (epochs.size() > 1 && Math.abs(J - epochs.get(epochs.size() - 2).J()) < epsilon1) {
        stop = History.Stop.OBJECTIVE_CHANGE;
        break;
      }
      if (norm < epsilon2) {
        stop = History.Stop.GRADIENT_NORM;
        break;
      }
    }
    return new History(epochs, stop);
  }

  private ProgressBar bar(int epoch, int batches) {
    // a bar only on a terminal: redirected output stays clean
    if (!progress || System.console() == null) {
      return null;
    }
    return new ProgressBarBuilder().setTaskName("epoch " + epoch + "/" + maxEpochs)
        .setInitialMax(batches).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250)
        .build();
  }

  private static void checkData(Mlp model, DMatrixRMaj X, DMatrixRMaj Y) {
    checkNotNull(X, "X");
    checkNotNull(Y, "Y");
    requireFinite("X", X, "training data must be finite; nothing was changed");
    requireFinite("Y", Y, "training data must be finite; nothing was changed");
    checkArgument(X.numRows > 0, "the data set is empty (X is %s×%s)", X.numRows, X.numCols);
    checkArgument(X.numRows == Y.numRows,
        "X has %s examples but Y has %s target rows: the counts must match", X.numRows,
        Y.numRows);
    checkArgument(X.numCols == model.architecture().inputs(),
        "X has %s columns but the model takes %s inputs", X.numCols,
        model.architecture().inputs());
    checkArgument(Y.numCols == model.architecture().outputs(),
        "Y has %s columns but the model has %s outputs", Y.numCols,
        model.architecture().outputs());
  }

  /** Throws for the first NaN or ±∞ of m, naming the matrix, the row, the column and why. */
  static void requireFinite(String name, DMatrixRMaj m, String why) {
    for (int k = 0; k < m.getNumElements(); k++) {
      if (!Double.isFinite(m.data[k])) {
        throw new IllegalArgumentException(name + " has " + m.data[k] + " at row " + k / m.numCols
            + ", column " + k % m.numCols + ": " + why);
      }
    }
  }

  static void shuffle(int[] order, Random random) {
    for (int i = order.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
  }

  /** The rows order[from..to) of m, in that order, into r. m Not modified; r Modified. */
  static void rows(DMatrixRMaj m, int[] order, int from, int to, DMatrixRMaj r) {
    for (int i = from; i < to; i++) {
      System.arraycopy(m.data, order[i] * m.numCols, r.data, (i - from) * m.numCols, m.numCols);
    }
  }

  /** Batch size, epochs, stopping tolerances, seed, metrics and progress display. */
  public static final class Builder {
    private final Objective objective;
    private final Optimizer optimizer;
    private int batchSize = 32;
    private int maxEpochs = 10;
    private double epsilon1 = 0;
    private double epsilon2 = 0;
    private long seed = 0;
    private boolean progress;
    private double decay = 1;
    private final Map<String, ToDoubleFunction<Mlp>> metrics = new LinkedHashMap<>();

    private Builder(Objective objective, Optimizer optimizer) {
      this.objective = checkNotNull(objective, "objective");
      this.optimizer = checkNotNull(optimizer, "optimizer");
    }

    /** Examples per step; the last batch of an epoch may be smaller. Default 32. */
    public Builder batchSize(int batchSize) {
      checkArgument(batchSize > 0, "batch size must be > 0, got %s", batchSize);
      this.batchSize = batchSize;
      return this;
    }

    /** Default 10. */
    public Builder maxEpochs(int maxEpochs) {
      checkArgument(maxEpochs > 0, "the maximum number of epochs must be > 0, got %s", maxEpochs);
      this.maxEpochs = maxEpochs;
      return this;
    }

    /** Stop when |J_{k+1} − J_k| &lt; ε₁ or ‖∇J‖ &lt; ε₂; 0 turns a criterion off (the default). */
    public Builder tolerance(double epsilon1, double epsilon2) {
      checkArgument(epsilon1 >= 0 && epsilon2 >= 0, "tolerances must be >= 0, got ε₁ = %s and "
          + "ε₂ = %s", epsilon1, epsilon2);
      this.epsilon1 = epsilon1;
      this.epsilon2 = epsilon2;
      return this;
    }

    /** The seed of the shuffling: same seed, same batches. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** A value computed from the model after each epoch, kept in the history. */
    public Builder metric(String name, ToDoubleFunction<Mlp> f) {
      metrics.put(checkNotNull(name, "name"), checkNotNull(f, "metric"));
      return this;
    }

    /**
     * Multiplies the optimizer's learning rate by γ after every epoch (exponential decay,
     * α_k = α₁ γ^(k−1), never below the smallest normal double); 0 &lt; γ ≤ 1, default 1.
     */
    public Builder learningRateDecay(double gamma) {
      checkArgument(gamma > 0 && gamma <= 1, "the learning-rate decay γ must be in (0, 1], got %s",
          gamma);
      this.decay = gamma;
      return this;
    }

    /** Show a progress bar per epoch on stderr, when it is a terminal. Default off. */
    public Builder progress(boolean progress) {
      this.progress = progress;
      return this;
    }

    public Trainer build() {
      return new Trainer(this);
    }
  }
}
