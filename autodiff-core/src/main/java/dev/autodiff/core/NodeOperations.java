package dev.autodiff.core;

/**
 * The op methods of {@link Node}, kept apart from what a node is: each records one node on the
 * node's tape, and the math of each op lives in its own class.
 */
abstract class NodeOperations {
  NodeOperations() {}

  private Node self() {
    return (Node) this;
  }

  /** Applies a custom op with this node as its first input. */
  public Node apply(Op op, Node... others) {
    Node[] x = new Node[others.length + 1];
    x[0] = self();
    System.arraycopy(others, 0, x, 1, others.length);
    return self().tape.apply(op, x);
  }

  private Node record(Op op) {
    return self().tape.apply(op, self());
  }

  private Node record(Op op, Node b) {
    return self().tape.apply(op, self(), b);
  }

  /** this · b. */
  public Node matmul(Node b) {
    return record(MatMul.INSTANCE, b);
  }

  /** thisᵀ · b, without materialising the transpose (EJML's multTransA). */
  public Node matmulTransA(Node b) {
    return record(MatMulTransA.INSTANCE, b);
  }

  /** this · bᵀ, without materialising the transpose (the batched layer X Wᵀ). */
  public Node matmulTransB(Node b) {
    return record(MatMulTransB.INSTANCE, b);
  }

  /** this + b, broadcasting a 1×n, m×1 or 1×1 operand. */
  public Node add(Node b) {
    return record(Add.INSTANCE, b);
  }

  /** this + c for a constant c. */
  public Node add(double c) {
    return record(new Shift(c));
  }

  /** this − b, broadcasting like {@link #add}. */
  public Node sub(Node b) {
    return record(Sub.INSTANCE, b);
  }

  /** this − c for a constant c. */
  public Node sub(double c) {
    return record(new Shift(-c));
  }

  /** this ⊙ b (Hadamard), broadcasting like {@link #add}. */
  public Node mul(Node b) {
    return record(Mul.INSTANCE, b);
  }

  /** c·this for a constant c: {@link #scale}. */
  public Node mul(double c) {
    return scale(c);
  }

  /** this ⊘ b (elementwise), broadcasting like {@link #add}; b must have no zero entry. */
  public Node div(Node b) {
    return record(Div.INSTANCE, b);
  }

  /** this ⊘ b where b ≠ 0 and 0 where b = 0, broadcasting like {@link #add}. */
  public Node divNoNan(Node b) {
    return record(DivNoNan.INSTANCE, b);
  }

  /** α·this. */
  public Node scale(double alpha) {
    return record(new Scale(alpha));
  }

  /** −this. */
  public Node neg() {
    return record(Neg.INSTANCE);
  }

  /** this ⊙ this. */
  public Node square() {
    return record(Square.INSTANCE);
  }

  /** max(0, this); its derivative at exactly 0 is taken as 0. */
  public Node relu() {
    return record(Relu.INSTANCE);
  }

  /** this ⊙ [m &gt; 0]: this where m is positive, 0 elsewhere (relu's gradient); m gets none. */
  public Node maskedBy(Node m) {
    return record(MaskedBy.INSTANCE, m);
  }

  /** [this &gt; 0]: 1 where an entry is &gt; 0, 0 where it is ≤ 0, NaN for NaN; derivative 0. */
  public Node step() {
    return record(Step.INSTANCE);
  }

  /** 1 / (1 + e^(−this)). */
  public Node sigmoid() {
    return record(Sigmoid.INSTANCE);
  }

  public Node tanh() {
    return record(Tanh.INSTANCE);
  }

  public Node exp() {
    return record(Exp.INSTANCE);
  }

  /** Natural log; every entry must be &gt; 0. */
  public Node log() {
    return record(Log.INSTANCE);
  }

  /** √this; every entry must be ≥ 0. Its derivative at exactly 0 is taken as 0. */
  public Node sqrt() {
    return record(Sqrt.INSTANCE);
  }

  /** thisᵀ. */
  public Node transpose() {
    return record(Transpose.INSTANCE);
  }

  /** Σ of all entries, 1×1. */
  public Node sum() {
    return record(new SumTo(1, 1));
  }

  /** The sum of each row, m×1 (EJML's {@code sumRows}). */
  public Node sumRows() {
    return record(new SumTo(rows(), 1));
  }

  /** The sum of each column, 1×n (EJML's {@code sumCols}); e.g. Σₙ δ for a batched bias. */
  public Node sumCols() {
    return record(new SumTo(1, cols()));
  }

  /**
   * Summed over the axes in which rows×cols is 1 and this is not: the gradient of a broadcast
   * operand. This node itself when it already has that shape.
   */
  public Node sumTo(int rows, int cols) {
    return rows == rows() && cols == cols() ? self() : record(new SumTo(rows, cols));
  }

  /**
   * Repeated along the axes in which this is 1, to rows×cols: the gradient of a sum. This node
   * itself when it already has that shape.
   */
  public Node broadcastTo(int rows, int cols) {
    return rows == rows() && cols == cols() ? self()
        : record(new BroadcastTo(rows, cols));
  }

  /** The mean of all entries, 1×1. */
  public Node mean() {
    return record(Mean.INSTANCE);
  }

  /** ‖this‖_F, 1×1; its gradient at 0 is 0. */
  public Node frobeniusNorm() {
    return record(FrobeniusNorm.INSTANCE);
  }

  /** ½‖this‖²_F, 1×1: the loss ½‖y − v‖²_F and the penalty ½‖W‖²_F of the notes; gradient this. */
  public Node halfSquaredNorm() {
    return record(HalfSquaredNorm.INSTANCE);
  }

  /** Row-wise softmax, stable for large logits. */
  public Node softmax() {
    return record(Softmax.INSTANCE);
  }

  /** Row-wise log-softmax, stable for large logits. */
  public Node logSoftmax() {
    return record(LogSoftmax.INSTANCE);
  }

  abstract int rows();

  abstract int cols();
}
