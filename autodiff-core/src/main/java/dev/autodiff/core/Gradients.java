package dev.autodiff.core;

import static com.google.common.base.Preconditions.checkNotNull;

import org.ejml.data.DMatrixRMaj;

/**
 * The result of {@link Tape#backward}: ∂J/∂n for every node n on a path from a variable to J.
 *
 * <p>{@link #get} throws for a node that has no gradient (a constant, or a node not on a path to
 * J); {@link #has} asks first, e.g. for a parameter a model did not use.
 */
public final class Gradients {
  private final Tape tape;
  private final Node root;
  private final DMatrixRMaj[] grads;

  Gradients(Tape tape, Node root, DMatrixRMaj[] grads) {
    this.tape = tape;
    this.root = root;
    this.grads = grads;
  }

  /** The node backward started from (J). */
  public Node root() {
    return root;
  }

  /** True when n has a gradient. */
  public boolean has(Node n) {
    return n.tape == tape && n.id < grads.length && grads[n.id] != null;
  }

  /**
   * ∂J/∂n, shaped like n. The matrix belongs to this result: read it, copy it, don't modify it.
   *
   * @throws IllegalArgumentException if n has no gradient, saying why
   */
  public DMatrixRMaj get(Node n) {
    checkNotNull(n, "node");
    if (n.tape == tape && tape.isClosed()) {
      Tape.checkOpen(n);
    }
    if (has(n)) {
      return grads[n.id];
    }
    String why;
    if (n.tape != tape) {
      why = "it belongs to another tape";
    } else if (n.kind == Node.Kind.CONSTANT) {
      why = "it is a constant; make it a variable to get its gradient";
    } else if (!n.requiresGrad) {
      why = "no variable is on a path into it";
    } else {
      why = "it is not on a path to " + root.name();
    }
    throw new IllegalArgumentException(n.name() + " has no gradient: " + why);
  }
}
