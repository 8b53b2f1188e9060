package dev.autodiff.nn;

import static com.google.common.base.Preconditions.checkNotNull;

import dev.autodiff.core.Node;
import dev.autodiff.core.Tape;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Binds parameters to leaves of one tape, once each: as variables for a training step (so that
 * {@code Gradients.get(bindings.node(p))} is ∂J/∂p), or as constants for inference.
 */
public final class Bindings implements Function<Parameter, Node> {
  private final Tape tape;
  private final boolean variables;
  private final Map<Parameter, Node> nodes = new IdentityHashMap<>();
  private final Map<Parameter, Node> ordered = new LinkedHashMap<>();

  private Bindings(Tape tape, boolean variables) {
    this.tape = checkNotNull(tape, "tape");
    this.variables = variables;
  }

  /** Parameters become variables: they receive gradients. */
  public static Bindings variables(Tape tape) {
    return new Bindings(tape, true);
  }

  /** Parameters become constants: nothing is differentiated (prediction). */
  public static Bindings constants(Tape tape) {
    return new Bindings(tape, false);
  }

  public Tape tape() {
    return tape;
  }

  /** The node bound to p, created on first use. The parameter's matrix is used, not copied. */
  @Override
  public Node apply(Parameter p) {
    Node n = nodes.get(p);
    if (n == null) {
      n = variables ? tape.variable(p.name(), p.value()) : tape.constant(p.name(), p.value());
      nodes.put(p, n);
      ordered.put(p, n);
    }
    return n;
  }

  /** Every parameter bound so far and its node, in binding order. */
  public Map<Parameter, Node> bound() {
    return Collections.unmodifiableMap(ordered);
  }
}
