package dev.autodiff.core;

import java.util.Objects;
import org.ejml.data.DMatrixRMaj;

/**
 * The result of a backward pass: ∂J/∂n for every node n on a path from a variable to J.
 *
 * <p>{@link #get} throws for a node that has no gradient (a constant, or a node not on a path to
 * J); {@link #has} asks first, e.g. for a parameter a model did not use. A {@link Plan}'s gradients
 * are its buffers, rewritten by its next run: copy what you keep.
 */
public final class Gradients {
  private final Tape tape;
  private final Node root;
  /** ∂J/∂n by node id. */
  private final DMatrixRMaj[] grads;
  /** Where a gradient is a recorded node's own value, to be copied before it is handed out. */
  private final boolean[] borrowed;

  Gradients(Tape tape, Node root, DMatrixRMaj[] grads) {
    this.tape = tape;
    this.root = root;
    this.grads = grads;
    this.borrowed = null;
  }

  /** The result of a backward pass whose gradients are these nodes' values. */
  Gradients(Tape tape, Node root, Node[] grads) {
    this.tape = tape;
    this.root = root;
    this.grads = new DMatrixRMaj[grads.length];
    this.borrowed = new boolean[grads.length];
    for (int i = 0; i < grads.length; i++) {
      if (grads[i] != null) {
        this.grads[i] = grads[i].value;
        borrowed[i] = grads[i].id >= 0;
      }
    }
  }

  /** The node backward started from (J). */
  public Node root() {
    return root;
  }

  /** True when n has a gradient. */
  public boolean has(Node n) {
    return n.tape == tape && n.id >= 0 && n.id < grads.length && grads[n.id] != null;
  }

  /**
   * ∂J/∂n, shaped like n. The matrix belongs to this result: read it, copy it, don't modify it.
   *
   * @throws IllegalArgumentException if n has no gradient, saying why
   */
  public DMatrixRMaj get(Node n) {
    Objects.requireNonNull(n, "node");
    if (has(n)) {
      if (borrowed != null && borrowed[n.id]) { // so that it belongs to this result alone
        grads[n.id] = grads[n.id].copy();
        borrowed[n.id] = false;
      }
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

  /**
   * prod(∂J/∂c, ∂c/∂xᵢ): consumer c's vector-Jacobian product for its input i alone, the term
   * that input's gradient sums over its consumers; zeros when the op contributes none.
   */
  public DMatrixRMaj contribution(Node c, int i) {
    Objects.requireNonNull(c, "consumer");
    Node x = c.input(i);
    DMatrixRMaj g = get(c);
    Node term = Backward.contribution(tape, c, i, g);
    return term != null ? term.value : new DMatrixRMaj(x.rows, x.cols);
  }
}
