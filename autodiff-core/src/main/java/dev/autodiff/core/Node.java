package dev.autodiff.core;

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

  public int rows() {
    return rows;
  }

  public int cols() {
    return cols;
  }

  public Shape shape() {
    return new Shape(rows, cols);
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

  public Tape tape() {
    return tape;
  }

  /** True when a variable is on a path into this node. */
  public boolean requiresGrad() {
    return requiresGrad;
  }

  // ---- ops: each records one node; the math of each lives in its own class ----

  /** this · b. */
  public Node matmul(Node b) {
    return tape.apply(MatMul.INSTANCE, this, b);
  }

  /** thisᵀ · b, without materialising the transpose (EJML's multTransA). */
  public Node matmulTransA(Node b) {
    return tape.apply(MatMulTransA.INSTANCE, this, b);
  }

  /** this · bᵀ, without materialising the transpose (the batched layer X Wᵀ). */
  public Node matmulTransB(Node b) {
    return tape.apply(MatMulTransB.INSTANCE, this, b);
  }

  /** this + b, broadcasting a 1×n, m×1 or 1×1 operand. */
  public Node add(Node b) {
    return tape.apply(Add.INSTANCE, this, b);
  }

  /** this + c for a constant c. */
  public Node add(double c) {
    return tape.apply(new Shift(c), this);
  }

  /** this − b, broadcasting like {@link #add}. */
  public Node sub(Node b) {
    return tape.apply(Sub.INSTANCE, this, b);
  }

  /** this − c for a constant c. */
  public Node sub(double c) {
    return tape.apply(new Shift(-c), this);
  }

  /** this ⊙ b (Hadamard), broadcasting like {@link #add}. */
  public Node mul(Node b) {
    return tape.apply(Mul.INSTANCE, this, b);
  }

  /** c·this for a constant c: {@link #scale}. */
  public Node mul(double c) {
    return scale(c);
  }

  /** this ⊘ b (elementwise), broadcasting like {@link #add}; b must have no zero entry. */
  public Node div(Node b) {
    return tape.apply(Div.INSTANCE, this, b);
  }

  /** this ⊘ b where b ≠ 0 and 0 where b = 0, broadcasting like {@link #add}. */
  public Node divNoNan(Node b) {
    return tape.apply(DivNoNan.INSTANCE, this, b);
  }

  /** α·this. */
  public Node scale(double alpha) {
    return tape.apply(new Scale(alpha), this);
  }

  /** −this. */
  public Node neg() {
    return tape.apply(Neg.INSTANCE, this);
  }

  /** this ⊙ this. */
  public Node square() {
    return tape.apply(Square.INSTANCE, this);
  }

  /** max(0, this); its derivative at exactly 0 is taken as 0. */
  public Node relu() {
    return tape.apply(Relu.INSTANCE, this);
  }

  /** this ⊙ [m &gt; 0]: this where m is positive, 0 elsewhere (relu's gradient); m gets none. */
  public Node maskedBy(Node m) {
    return tape.apply(MaskedBy.INSTANCE, this, m);
  }

  /** [this &gt; 0]: 1 where an entry is &gt; 0, else 0 (a NaN gives 0); its derivative is 0. */
  public Node step() {
    return tape.apply(Step.INSTANCE, this);
  }

  /** 1 / (1 + e^(−this)). */
  public Node sigmoid() {
    return tape.apply(Sigmoid.INSTANCE, this);
  }

  public Node tanh() {
    return tape.apply(Tanh.INSTANCE, this);
  }

  public Node exp() {
    return tape.apply(Exp.INSTANCE, this);
  }

  /** Natural log; every entry must be &gt; 0. */
  public Node log() {
    return tape.apply(Log.INSTANCE, this);
  }

  /** √this; every entry must be ≥ 0. Its derivative at exactly 0 is taken as 0. */
  public Node sqrt() {
    return tape.apply(Sqrt.INSTANCE, this);
  }

  /** thisᵀ. */
  public Node transpose() {
    return tape.apply(Transpose.INSTANCE, this);
  }

  /** Σ of all entries, 1×1. */
  public Node sum() {
    return tape.apply(new SumTo(1, 1), this);
  }

  /** The sum of each row, m×1 (EJML's {@code sumRows}). */
  public Node sumRows() {
    return tape.apply(new SumTo(rows, 1), this);
  }

  /** The sum of each column, 1×n (EJML's {@code sumCols}); e.g. Σₙ δ for a batched bias. */
  public Node sumCols() {
    return tape.apply(new SumTo(1, cols), this);
  }

  /**
   * Summed over the axes in which rows×cols is 1 and this is not: the gradient of a broadcast
   * operand. This node itself when it already has that shape.
   */
  public Node sumTo(int rows, int cols) {
    return rows == this.rows && cols == this.cols ? this : tape.apply(new SumTo(rows, cols), this);
  }

  /**
   * Repeated along the axes in which this is 1, to rows×cols: the gradient of a sum. This node
   * itself when it already has that shape.
   */
  public Node broadcastTo(int rows, int cols) {
    return rows == this.rows && cols == this.cols ? this
        : tape.apply(new BroadcastTo(rows, cols), this);
  }

  /** The mean of all entries, 1×1. */
  public Node mean() {
    return tape.apply(Mean.INSTANCE, this);
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
    return tape.apply(Softmax.INSTANCE, this);
  }

  /** Row-wise log-softmax, stable for large logits. */
  public Node logSoftmax() {
    return tape.apply(LogSoftmax.INSTANCE, this);
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
    return name() + ":" + Shapes.of(rows, cols)
        + (op == null ? " " + kind.name().toLowerCase() : " = " + op.name());
  }
}
