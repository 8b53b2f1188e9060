package dev.autodiff.core;

import dev.autodiff.core.ops.Binary;
import dev.autodiff.core.ops.Elementwise;
import dev.autodiff.core.ops.FrobeniusNorm;
import dev.autodiff.core.ops.HalfSquaredNorm;
import dev.autodiff.core.ops.MatMul;
import dev.autodiff.core.ops.Reduce;
import dev.autodiff.core.ops.Softmax;
import dev.autodiff.core.ops.Transpose;
import java.util.List;
import org.ejml.data.DMatrixRMaj;

/**
 * A value recorded on a {@link Tape}: a constant, a variable, or the output of an op. Every op
 * method records a new node on the same tape, in evaluation order.
 */
public final class Node {
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
  final int id;
  final Kind kind;
  final Op op;
  final Node[] inputs;
  final DMatrixRMaj value;
  /** The shape at recording: a re-run checks that leaves kept it. */
  final int rows;
  final int cols;
  /** True when a variable is on some path into this node, so it needs a gradient. */
  final boolean requiresGrad;
  /** The value came from {@link Tape#newValue}: closing the tape hands it on. */
  final boolean pooled;
  private String name;

  Node(Tape tape, int id, Kind kind, String name, Op op, Node[] inputs, DMatrixRMaj value,
      boolean requiresGrad, boolean pooled) {
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
    this.pooled = pooled;
  }

  /**
   * The recorded value. Not to be modified: it is the tape's record of the forward pass.
   *
   * @throws IllegalStateException once the tape is closed
   */
  public DMatrixRMaj value() {
    if (tape.isClosed()) {
      Tape.checkOpen(this);
    }
    return value;
  }

  /** The value of a 1×1 node. */
  public double scalar() {
    DMatrixRMaj v = value();
    if (v.getNumElements() != 1) {
      throw new IllegalStateException(Shapes.describe(this) + " is not 1×1");
    }
    return v.data[0];
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

  public int rows() {
    return rows;
  }

  public int cols() {
    return cols;
  }

  /** Position on the tape: inputs always come before their consumers. */
  public int index() {
    return id;
  }

  public Kind kind() {
    return kind;
  }

  /** The op that made this node; null for a leaf. */
  public Op op() {
    return op;
  }

  /** The op's inputs, in order; empty for a leaf. */
  public List<Node> inputs() {
    return inputs == null ? List.of() : List.of(inputs);
  }

  public Tape tape() {
    return tape;
  }

  /** True when a variable is on a path into this node. */
  public boolean requiresGrad() {
    return requiresGrad;
  }

  // ---- ops: each records one node; the math lives in dev.autodiff.core.ops ----

  /** this · b. */
  public Node matmul(Node b) {
    return tape.apply(MatMul.AB, this, b);
  }

  /** this · bᵀ, without materialising the transpose (the batched layer X Wᵀ). */
  public Node matmulTransB(Node b) {
    return tape.apply(MatMul.ABT, this, b);
  }

  /** this + b, broadcasting a 1×n, m×1 or 1×1 operand. */
  public Node add(Node b) {
    return tape.apply(Binary.ADD, this, b);
  }

  /** this − b, broadcasting like {@link #add}. */
  public Node sub(Node b) {
    return tape.apply(Binary.SUB, this, b);
  }

  /** this ⊙ b (Hadamard), broadcasting like {@link #add}. */
  public Node mul(Node b) {
    return tape.apply(Binary.MUL, this, b);
  }

  /** this ⊘ b (elementwise), broadcasting like {@link #add}; b must have no zero entry. */
  public Node div(Node b) {
    return tape.apply(Binary.DIV, this, b);
  }

  /** α·this. */
  public Node scale(double alpha) {
    return tape.apply(Elementwise.scale(alpha), this);
  }

  /** −this. */
  public Node neg() {
    return tape.apply(Elementwise.NEG, this);
  }

  /** this ⊙ this. */
  public Node square() {
    return tape.apply(Elementwise.SQUARE, this);
  }

  /** max(0, this); its derivative at exactly 0 is taken as 0. */
  public Node relu() {
    return tape.apply(Elementwise.RELU, this);
  }

  /** 1 / (1 + e^(−this)). */
  public Node sigmoid() {
    return tape.apply(Elementwise.SIGMOID, this);
  }

  public Node tanh() {
    return tape.apply(Elementwise.TANH, this);
  }

  public Node exp() {
    return tape.apply(Elementwise.EXP, this);
  }

  /** Natural log; every entry must be &gt; 0. */
  public Node log() {
    return tape.apply(Elementwise.LOG, this);
  }

  /** √this; every entry must be ≥ 0. Its derivative at exactly 0 is taken as 0. */
  public Node sqrt() {
    return tape.apply(Elementwise.SQRT, this);
  }

  /** thisᵀ. */
  public Node transpose() {
    return tape.apply(Transpose.INSTANCE, this);
  }

  /** Σ of all entries, 1×1. */
  public Node sum() {
    return tape.apply(Reduce.SUM, this);
  }

  /** The sum of each row, m×1 (EJML's {@code sumRows}). */
  public Node sumRows() {
    return tape.apply(Reduce.SUM_ROWS, this);
  }

  /** The sum of each column, 1×n (EJML's {@code sumCols}); e.g. Σₙ δ for a batched bias. */
  public Node sumCols() {
    return tape.apply(Reduce.SUM_COLS, this);
  }

  /** The mean of all entries, 1×1. */
  public Node mean() {
    return tape.apply(Reduce.MEAN, this);
  }

  /** ‖this‖_F, 1×1; its gradient at 0 is 0. */
  public Node frobeniusNorm() {
    return tape.apply(FrobeniusNorm.INSTANCE, this);
  }

  /** ½‖this‖²_F, 1×1: the loss ½‖y − v‖²_F and the penalty ½‖W‖²_F of the notes; gradient this. */
  public Node halfSquaredNorm() {
    return tape.apply(HalfSquaredNorm.INSTANCE, this);
  }

  /** Row-wise softmax, stable for large logits. */
  public Node softmax() {
    return tape.apply(Softmax.SOFTMAX, this);
  }

  /** Row-wise log-softmax, stable for large logits. */
  public Node logSoftmax() {
    return tape.apply(Softmax.LOG_SOFTMAX, this);
  }

  /** Applies a custom op with this node as its first input. */
  public Node apply(Op op, Node... others) {
    Node[] x = new Node[others.length + 1];
    x[0] = this;
    System.arraycopy(others, 0, x, 1, others.length);
    return tape.apply(op, x);
  }

  @Override
  public String toString() {
    return name() + ":" + Shapes.of(rows(), cols())
        + (op == null ? " " + kind.name().toLowerCase() : " = " + op.name());
  }
}
