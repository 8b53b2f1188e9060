package dev.autodiff.nn;

import dev.autodiff.core.Node;
import dev.autodiff.core.Tape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import org.ejml.data.DMatrixRMaj;

/**
 * What a module's {@code forward} reads besides its input: its parameters bound to leaves of one
 * tape, once each (as variables for a training step, so that {@code Gradients.get(p.apply(W))} is
 * ∂J/∂W; as constants for prediction or while frozen), whether it is training, the random inputs
 * a step draws (dropout's masks) and the values a step reports back (running statistics).
 *
 * <p>A graph recorded once and run many times (a {@link dev.autodiff.core.Plan}) sees the same
 * bindings at every run: {@link #draw} refills the random inputs for a step and {@link
 * #observe(Function)} hands the observed nodes' values to the module after it.
 */
public final class Bindings implements Function<Parameter, Node> {
  private final Tape tape;
  private final boolean training;
  private final long seed;
  private final Map<Parameter, String> names;
  private final Function<Parameter, Node> custom;
  private final Map<Parameter, Node> nodes = new IdentityHashMap<>();
  private final Map<Parameter, Node> ordered = new LinkedHashMap<>();
  private final List<Random> drawn = new ArrayList<>();
  private final List<Observer> observers = new ArrayList<>();

  private record Random(DMatrixRMaj value, BiConsumer<SplittableRandom, DMatrixRMaj> fill) {}

  private record Observer(Node node, Consumer<DMatrixRMaj> use) {}

  private Bindings(Tape tape, boolean training, long seed, Module model,
      Function<Parameter, Node> custom) {
    this.tape = Objects.requireNonNull(tape, "tape");
    this.custom = custom;
    this.training = training;
    this.seed = seed;
    this.names = new IdentityHashMap<>();
    if (model != null) {
      model.namedParameters().forEach((path, p) -> names.put(p, path));
    }
  }

  /** Training mode: trainable parameters become variables, named by their path in model. */
  public static Bindings variables(Tape tape, Module model, long seed) {
    return new Bindings(tape, true, seed, Objects.requireNonNull(model, "model"), null);
  }

  /** Training mode, random inputs from seed 0, nodes named by the parameters' own names. */
  public static Bindings variables(Tape tape) {
    return new Bindings(tape, true, 0, null, null);
  }

  /** Inference mode: parameters become constants, named by their path in model. */
  public static Bindings constants(Tape tape, Module model) {
    return new Bindings(tape, false, 0, Objects.requireNonNull(model, "model"), null);
  }

  /** Inference mode, nodes named by the parameters' own names. */
  public static Bindings constants(Tape tape) {
    return new Bindings(tape, false, 0, null, null);
  }

  /**
   * Training mode with each parameter bound to the node {@code bind} gives, once: for nodes made
   * elsewhere, such as the variables of a gradient check.
   */
  public static Bindings using(Tape tape, Function<Parameter, Node> bind) {
    return new Bindings(tape, true, 0, null, Objects.requireNonNull(bind, "bind"));
  }

  /** The tape the parameters are bound on. */
  public Tape tape() {
    return tape;
  }

  /** True while training (dropout drops, batch normalisation uses the batch's statistics). */
  public boolean training() {
    return training;
  }

  /**
   * The node bound to p, created on first use: a variable while training unless p is frozen or a
   * statistic, a constant otherwise. The parameter's matrix is used, not copied.
   */
  @Override
  public Node apply(Parameter p) {
    Node n = nodes.get(p);
    if (n == null) {
      String name = names.getOrDefault(p, p.name());
      if (custom != null) {
        n = Objects.requireNonNull(custom.apply(p), () -> "no node for " + p);
      } else {
        n = training && p.isTrainable() ? tape.variable(name, p.value())
            : tape.constant(name, p.value());
      }
      nodes.put(p, n);
      ordered.put(p, n);
    }
    return n;
  }

  /** Every parameter bound so far and its node, in binding order. */
  public Map<Parameter, Node> bound() {
    return Collections.unmodifiableMap(ordered);
  }

  /** The trainable parameters bound so far, as variables, and their nodes, in binding order. */
  public Map<Parameter, Node> variables() {
    Map<Parameter, Node> v = new LinkedHashMap<>();
    ordered.forEach((p, n) -> {
      if (n.requiresGrad()) {
        v.put(p, n);
      }
    });
    return v;
  }

  /**
   * A constant of the given shape filled by {@code fill} from a random stream now, and refilled
   * before every later step by {@link #draw}: the way a module draws random inputs (dropout's
   * mask) that stay right in a graph recorded once.
   */
  public Node random(String name, int rows, int cols,
      BiConsumer<SplittableRandom, DMatrixRMaj> fill) {
    DMatrixRMaj value = new DMatrixRMaj(rows, cols);
    Random r = new Random(value, Objects.requireNonNull(fill, "fill"));
    drawn.add(r);
    fill.accept(stream(0, drawn.size() - 1), value);
    return tape.constant(name, value);
  }

  /**
   * Refills every random input for the given step: the same seed and step give the same draws, so
   * training resumed at a step repeats the uninterrupted run's masks.
   */
  public void draw(long step) {
    for (int i = 0; i < drawn.size(); i++) {
      drawn.get(i).fill.accept(stream(step, i), drawn.get(i).value);
    }
  }

  private SplittableRandom stream(long step, int index) {
    // one independent stream per (seed, step, input): a SplittableRandom seeded by a mix of the
    // three, whose first output is already well spread
    long h = seed * 0x9E3779B97F4A7C15L + step * 0xC2B2AE3D27D4EB4FL + index * 0x165667B19E3779F9L;
    return new SplittableRandom(h);
  }

  /** Hands node's value to use after each forward pass (see {@link #observe(Function)}). */
  public void observe(Node node, Consumer<DMatrixRMaj> use) {
    observers.add(new Observer(Objects.requireNonNull(node, "node"),
        Objects.requireNonNull(use, "use")));
  }

  /** The nodes whose values are observed: a plan must keep them among its outputs. */
  public List<Node> observed() {
    return observers.stream().map(Observer::node).toList();
  }

  /**
   * Calls each observer with its node's value after a forward pass: {@code valueOf} reads it from a
   * plan ({@code plan::value}) or, on the tape itself, {@code Node::value}.
   */
  public void observe(Function<Node, DMatrixRMaj> valueOf) {
    for (Observer o : observers) {
      o.use.accept(valueOf.apply(o.node));
    }
  }
}
