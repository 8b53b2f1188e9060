package dev.autodiff.nn;

import dev.autodiff.core.Gradients;
import dev.autodiff.core.Node;
import dev.autodiff.core.Plan;
import dev.autodiff.core.Tape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.ejml.data.DMatrixRMaj;

/**
 * An objective J = L + s of one model, recorded once per batch size and compiled into a {@link
 * Plan}: each batch is copied into the plan's input buffers and the plan run, forward and
 * backward, allocating nothing. {@link Trainer} evaluates its steps with one; a worker computing
 * its share of a batch's gradient can too.
 *
 * <pre>{@code
 * CompiledObjective c = new Objective(Losses.SOFTMAX_CROSS_ENTROPY_WITH_LOGITS, 0).compile(model, 1);
 * CompiledObjective.Evaluation e = c.evaluate(X, Y, step);   // L, s, J and ∂J/∂θ
 * }</pre>
 */
public final class CompiledObjective {
  private final Objective objective;
  private final Module model;
  private final long seed;
  private final Map<Integer, Recording> recordings = new HashMap<>();

  CompiledObjective(Objective objective, Module model, long seed) {
    this.objective = Objects.requireNonNull(objective, "objective");
    this.model = Objects.requireNonNull(model, "model");
    this.seed = seed;
  }

  /**
   * L, s and J of one batch and the gradient of J with respect to each trainable parameter. The
   * gradients are the plan's buffers: read them before the next evaluation.
   */
  public record Evaluation(double L, double s, double J, Map<Parameter, DMatrixRMaj> gradient) {}

  /** The model whose objective this is. */
  public Module model() {
    return model;
  }

  /** The objective compiled. */
  public Objective objective() {
    return objective;
  }

  /**
   * Evaluates the batch X, Y (one example per row), its random inputs drawn for step {@code draw}.
   * X and Y Not modified; the model's statistics Modified (running statistics observed).
   */
  public Evaluation evaluate(DMatrixRMaj X, DMatrixRMaj Y, long draw) {
    Recording r = recording(X.numRows, X.numCols, Y.numCols);
    r.X.setTo(X);
    r.Y.setTo(Y);
    return r.run(draw);
  }

  /** Evaluates the rows order[from..to) of data, copied straight into the plan's buffers. */
  Evaluation evaluate(Data data, int[] order, int from, int to, long draw) {
    Recording r = recording(to - from, data.X().numCols, data.Y().numCols);
    Data.copyRows(data.X(), order, from, to, r.X);
    Data.copyRows(data.Y(), order, from, to, r.Y);
    return r.run(draw);
  }

  /** Records the graph for batches of the given shape now, so a misfit fails before any step. */
  void prepare(int rows, int inputs, int targets) {
    recording(rows, inputs, targets);
  }

  private Recording recording(int rows, int inputs, int targets) {
    Recording r = recordings.computeIfAbsent(rows, n -> new Recording(n, inputs, targets));
    if (r.X.numCols != inputs || r.Y.numCols != targets) {
      r = new Recording(rows, inputs, targets);
      recordings.put(rows, r);
    }
    return r;
  }

  /** J recorded on batch buffers X and Y, compiled into a plan. */
  private final class Recording {
    final DMatrixRMaj X;
    final DMatrixRMaj Y;
    final Bindings vars;
    final Objective.Terms t;
    final Plan plan;
    final Map<Parameter, Node> variables;

    Recording(int rows, int inputs, int targets) {
      X = new DMatrixRMaj(rows, inputs);
      Y = new DMatrixRMaj(rows, targets);
      Tape tape = new Tape();
      vars = Bindings.variables(tape, model, seed);
      t = objective.evaluate(model, tape.constant("X", X), tape.constant("Y", Y), vars);
      variables = vars.variables();
      if (variables.isEmpty()) {
        throw new IllegalArgumentException("nothing to train: every parameter of the "
            + model.getClass().getSimpleName() + " is frozen or a statistic");
      }
      List<Node> outputs = new ArrayList<>(List.of(t.L(), t.s()));
      outputs.addAll(vars.observed());
      plan = Plan.compile(t.J(), new ArrayList<>(variables.values()), outputs);
    }

    Evaluation run(long draw) {
      vars.draw(draw);
      plan.forward();
      double L = plan.value(t.L()).get(0, 0);
      double s = plan.value(t.s()).get(0, 0);
      double J = plan.value(t.J()).get(0, 0);
      if (!Double.isFinite(J)) {
        // no backward, no observed statistics: the caller reports it, nothing has changed
        return new Evaluation(L, s, J, Map.of());
      }
      vars.observe(plan::value);
      Gradients g = plan.backward();
      Map<Parameter, DMatrixRMaj> gradient = new LinkedHashMap<>();
      variables.forEach((p, node) -> {
        if (g.has(node)) {
          gradient.put(p, g.get(node));
        }
      });
      return new Evaluation(L, s, J, gradient);
    }
  }
}
