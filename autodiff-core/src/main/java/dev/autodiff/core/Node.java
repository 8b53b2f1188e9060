package dev.autodiff.core;

import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.ejml.data.DMatrixRMaj;

/**
 * A value recorded on a {@link Tape}: a constant, a variable, or the output of an op. Every op
 * method ({@link NodeOperations}) records a new node on the same tape, in evaluation order.
 */
public final class Node extends NodeOperations {
  /** What made the node. */
  public enum Kind {
    /** A leaf with no gradient (inputs, targets). */
    CONSTANT,
    /** A leaf that receives a gradient (parameters). */
    VARIABLE,
    /** The output of an op. */
    OP
  }

  final Tape tape;
  /** The position on the tape; -1 for a node computed by a backward that records no graph. */
  final int id;
  final Kind kind;
  final Op op;
  final Node[] inputs;
  final DMatrixRMaj value;
  /** The shape at recording: a plan checks that leaves kept it. */
  final int rows;
  final int cols;
  /** True when a variable is on some path into this node, so it can have a gradient. */
  final boolean requiresGrad;
  private String name;
  /** The gradient hooks, in the order registered, as one; null when none. */
  Hook hook;

  Node(Tape tape, int id, Kind kind, String name, Op op, Node[] inputs, DMatrixRMaj value,
      boolean requiresGrad) {
    this.tape = tape;
    this.id = id;
    this.kind = kind;
    this.name = name;
    this.op = op;
    this.inputs = inputs;
    this.value = value;
    this.rows = value.numRows;
    this.cols = value.numCols;
    this.requiresGrad = requiresGrad;
  }

  /** The recorded value. Not to be modified: it is the record of the forward pass. */
  public DMatrixRMaj value() {
    return value;
  }

  /** The value of a 1×1 node. */
  public double scalar() {
    if (value.getNumElements() != 1) {
      throw new IllegalStateException(Shapes.describe(this) + " is not 1×1");
    }
    return value.data[0];
  }

  /** The user's name, or a generated {@code n<index>}. */
  public String name() {
    return name != null ? name : "n" + id;
  }

  /** True when the user named this node. */
  public boolean hasName() {
    return name != null;
  }

  /** Names this node for traces and error messages; returns this node. */
  public Node named(String name) {
    this.name = name;
    return this;
  }

  /**
   * Registers a gradient hook: once a backward pass has summed ∂J/∂this, the hook gets a copy of
   * it and returns the gradient to use from there on (the copy to observe it, a new or modified
   * matrix to replace it). {@link Tape#grad} records it, not to be differentiated again; a {@link
   * Plan} runs it at every run. Hooks run in the order registered (docs/CORE.md, Gradient hooks).
   *
   * @param hook from ∂J/∂this (Modified if it likes) to a matrix of the same shape
   * @return this node
   */
  public Node registerHook(UnaryOperator<DMatrixRMaj> hook) {
    Objects.requireNonNull(hook, "hook");
    UnaryOperator<DMatrixRMaj> before = this.hook == null ? null : this.hook.f;
    this.hook = new Hook(this, before == null ? hook : g -> hook.apply(before.apply(g)));
    return this;
  }

  /** The number of rows. */
  public int rows() {
    return rows;
  }

  /** The number of columns. */
  public int cols() {
    return cols;
  }

  /** Rows and columns. */
  public Shape shape() {
    return new Shape(rows, cols);
  }

  /** Position on the tape: inputs always come before their consumers. */
  public int index() {
    return id;
  }

  /** Constant, variable or the output of an op. */
  public Kind kind() {
    return kind;
  }

  /** The op that made this node; null for a leaf. */
  public Op op() {
    return op;
  }

  /** The number of inputs: 0 for a leaf. */
  public int arity() {
    return inputs == null ? 0 : inputs.length;
  }

  /** Input i of the op that made this node. */
  public Node input(int i) {
    return inputs[i];
  }

  /** The op's inputs, in order; empty for a leaf. */
  public List<Node> inputs() {
    return inputs == null ? List.of() : List.of(inputs);
  }

  /** The tape the node is recorded on. */
  public Tape tape() {
    return tape;
  }

  /** True when a variable is on a path into this node. */
  public boolean requiresGrad() {
    return requiresGrad;
  }

  /** E.g. {@code W (2×3) [[0.3, 0.5, 0.1], [0.2, 0.7, 0.8]]}, abbreviated past 6 rows or cols. */
  @Override
  public String toString() {
    return Shapes.describe(this) + " " + MatrixText.of(value);
  }
}
