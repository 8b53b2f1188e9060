package dev.autodiff.core;

import dev.autodiff.core.kernels.Images;

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

  /** this ⊙ b, elementwise (PyTorch's mul, EJML's elementMult), broadcasting like add. */
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

  /**
   * This node's value as a constant: the same numbers, and no gradient back through it (PyTorch's
   * {@code detach}). In a plan it is computed anew each run.
   */
  public Node detach() {
    return record(Detach.INSTANCE);
  }

  /** [this &gt; 0]: 1 where an entry is &gt; 0, 0 where it is ≤ 0, NaN for NaN; derivative 0. */
  public Node step() {
    return record(Step.INSTANCE);
  }

  /** 1 / (1 + e^(−this)). */
  public Node sigmoid() {
    return record(Sigmoid.INSTANCE);
  }

  /** (e^this − e^(−this)) / (e^this + e^(−this)). */
  public Node tanh() {
    return record(Tanh.INSTANCE);
  }

  /** e^this. */
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

  /** |this|; its derivative at 0 is taken as 0. */
  public Node abs() {
    return record(Abs.INSTANCE);
  }

  /** sign(this): −1, 0 or 1; its derivative is 0. */
  public Node sign() {
    return record(Sign.INSTANCE);
  }

  /** thisᵖ for a constant p; negative bases only for an integer p, 0 only for p ≥ 0. */
  public Node pow(double p) {
    return record(new Pow(p));
  }

  /** max(this, b) entry by entry, broadcasting like {@link #add}; at a tie each gets half of g. */
  public Node max(Node b) {
    return record(Maximum.INSTANCE, b);
  }

  /** min(this, b) entry by entry, broadcasting like {@link #add}; at a tie each gets half of g. */
  public Node min(Node b) {
    return record(Minimum.INSTANCE, b);
  }

  /** min(max(this, lo), hi); the derivative is 1 on [lo, hi], bounds included, else 0. */
  public Node clamp(double lo, double hi) {
    return record(new Clamp(lo, hi));
  }

  /** a where the constant mask is 1 and b where it is 0, a and b broadcasting to its shape. */
  public static Node where(Node mask, Node a, Node b) {
    return mask.tape().apply(Where.INSTANCE, mask, a, b);
  }

  /** this where positive, α·this elsewhere. */
  public Node leakyRelu(double alpha) {
    return record(new LeakyRelu(alpha));
  }

  /** this where positive, α(e^this − 1) elsewhere, α &gt; 0. */
  public Node elu(double alpha) {
    return record(new Elu(alpha));
  }

  /** log(1 + e^this), finite for any entry. */
  public Node softplus() {
    return record(Softplus.INSTANCE);
  }

  /** this·Φ(this), Φ the normal distribution function (the exact, erf form). */
  public Node gelu() {
    return record(Gelu.INSTANCE);
  }

  /** gelu's tanh approximation, ½x(1 + tanh(√(2/π)(x + 0.044715x³))). */
  public Node geluTanh() {
    return record(GeluTanh.INSTANCE);
  }

  /** The error function erf(this). */
  public Node erf() {
    return record(ErrorFunction.INSTANCE);
  }

  /** sin this, in radians. */
  public Node sin() {
    return record(Sin.INSTANCE);
  }

  /** cos this, in radians. */
  public Node cos() {
    return record(Cos.INSTANCE);
  }

  /** 1/this; every entry must be ≠ 0. */
  public Node reciprocal() {
    return record(Reciprocal.INSTANCE);
  }

  /** 1/√this; every entry must be &gt; 0. */
  public Node rsqrt() {
    return record(Rsqrt.INSTANCE);
  }

  /** The max of each row, m×1; the gradient goes to the first max of the row. */
  public Node maxRows() {
    return record(new Extreme(true, true));
  }

  /** The max of each column, 1×n; the gradient goes to the first max of the column. */
  public Node maxCols() {
    return record(new Extreme(false, true));
  }

  /** The min of each row, m×1; the gradient goes to the first min of the row. */
  public Node minRows() {
    return record(new Extreme(true, false));
  }

  /** The min of each column, 1×n; the gradient goes to the first min of the column. */
  public Node minCols() {
    return record(new Extreme(false, false));
  }

  /** 1 at the first max (or min) of each row (or column), 0 elsewhere. */
  Node extremeMask(boolean rows, boolean max) {
    return record(new ExtremeMask(rows, max));
  }

  /** log Σ exp of each row, m×1, stable for large entries. */
  public Node logSumExpRows() {
    return record(new LogSumExp(true));
  }

  /** log Σ exp of each column, 1×n, stable for large entries. */
  public Node logSumExpCols() {
    return record(new LogSumExp(false));
  }

  /** The mean of each row, m×1. */
  public Node meanRows() {
    return record(new MeanAxis(true));
  }

  /** The mean of each column, 1×n. */
  public Node meanCols() {
    return record(new MeanAxis(false));
  }

  /** The variance of each row, (1/n) Σ (x − x̄)², m×1 (the population variance). */
  public Node varianceRows() {
    return record(new Variance(true));
  }

  /** The variance of each column, (1/n) Σ (x − x̄)², 1×n (the population variance). */
  public Node varianceCols() {
    return record(new Variance(false));
  }

  /** The same entries read row by row as rows×cols. */
  public Node reshape(int rows, int cols) {
    return record(new Reshape(rows, cols));
  }

  /** Rows [from, to). */
  public Node sliceRows(int from, int to) {
    return record(new Slice(true, from, to));
  }

  /** Columns [from, to). */
  public Node sliceCols(int from, int to) {
    return record(new Slice(false, from, to));
  }

  /** This with rows of zeros: before of them above, after below. */
  public Node padRows(int before, int after) {
    return record(new Pad(true, before, after));
  }

  /** This with columns of zeros: before of them on the left, after on the right. */
  public Node padCols(int before, int after) {
    return record(new Pad(false, before, after));
  }

  /** This with the others below it, in order; all of one width. */
  public Node concatRows(Node... others) {
    return apply(new Concat(true, others.length + 1), others);
  }

  /** This with the others on its right, in order; all of one height. */
  public Node concatCols(Node... others) {
    return apply(new Concat(false, others.length + 1), others);
  }

  /** Rows ids[0], ids[1], … of this (an embedding lookup); its gradient costs ids × width. */
  public Node gatherRows(int... ids) {
    return record(new GatherRows(ids));
  }

  /** Zeros of the given rows, with row i of this added into row ids[i]. */
  public Node scatterAddRows(int[] ids, int rows) {
    return record(new ScatterAddRows(ids, rows));
  }

  /**
   * Rows of this at the ids held by a constant of whole numbers (any shape, read row by row): row
   * k of the result is row ids[k] of this. The ids are read from their node's value whenever the
   * result is computed, so a plan run on new ids gathers the new rows: the embedding lookup of a
   * batch, N×T ids giving (N·T)×width. Its gradient is {@link #scatterAddRows(Node, int)}.
   */
  public Node gatherRows(Node ids) {
    return record(GatherRowsAt.INSTANCE, ids);
  }

  /**
   * Zeros of the given rows, with row k of this added into the row at ids[k], the ids held by a
   * constant of whole numbers (any shape, read row by row) and read when the result is computed.
   */
  public Node scatterAddRows(Node ids, int rows) {
    return record(new ScatterAddRowsAt(rows), ids);
  }

  /** This stacked n times, one copy below the other. */
  public Node repeatRows(int n) {
    return record(new RepeatRows(n));
  }

  /**
   * This batch of images (N×(C·H·W), one a row) convolved with the kernels (F×(C·kh·kw), one a
   * row), moved by stride over the images padded with zeros: N×(F·H′·W′).
   */
  public Node conv2d(Node kernels, Image image, int kh, int kw, int stride, int padding) {
    return conv2d(kernels, window(image, kh, kw, stride, padding));
  }

  Node conv2d(Node kernels, Images.Window window) {
    return record(new Conv2d(window), kernels);
  }

  /**
   * The transposed convolution: this (N×(F·H′·W′)) sent back through the kernels to images of the
   * given shape, N×(C·H·W) — conv2d's gradient with respect to its input.
   */
  public Node conv2dTranspose(Node kernels, Image image, int kh, int kw, int stride,
      int padding) {
    return conv2dTranspose(kernels, window(image, kh, kw, stride, padding));
  }

  Node conv2dTranspose(Node kernels, Images.Window window) {
    return record(new Conv2dTranspose(window), kernels);
  }

  /** conv2d's gradient with respect to its kernels, this being its output's gradient. */
  Node conv2dKernelGradient(Node images, Images.Window window) {
    return record(new Conv2dKernelGradient(window), images);
  }

  /** The max of each k×k window of each channel, moved by stride: N×(C·H′·W′). */
  public Node maxPool2d(Image image, int k, int stride) {
    return maxPool2d(window(image, k, k, stride, 0));
  }

  Node maxPool2d(Images.Window window) {
    return record(new MaxPool2d(window));
  }

  Node maxPoolScatter(Node images, Images.Window window) {
    return record(new MaxPoolScatter(window), images);
  }

  Node maxPoolGather(Node images, Images.Window window) {
    return record(new MaxPoolGather(window), images);
  }

  /** The mean of each k×k window of each channel, moved by stride: N×(C·H′·W′). */
  public Node avgPool2d(Image image, int k, int stride) {
    return avgPool2d(window(image, k, k, stride, 0));
  }

  Node avgPool2d(Images.Window window) {
    return record(new AvgPool2d(window));
  }

  Node avgPoolSpread(Images.Window window) {
    return record(new AvgPoolSpread(window));
  }

  private static Images.Window window(Image image, int kh, int kw, int stride, int padding) {
    return Images.Window.of(image.channels(), image.height(), image.width(), kh, kw, stride,
        padding);
  }

  /**
   * Each entry kept with probability 1 − p and scaled by 1/(1 − p), else 0: a mask drawn from the
   * seed when recorded, which the gradient and a plan's every run use again.
   */
  public Node dropout(double p, long seed) {
    return record(new Dropout(p, seed));
  }

  abstract int rows();

  abstract int cols();
}
