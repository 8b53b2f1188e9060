package dev.autodiff.nn;

import dev.autodiff.core.Node;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;

/**
 * Multi-head self-attention over each sequence: Y = concat_h(softmax(Q_h K_hᵀ/√d) V_h) Woᵀ ⊕ bo.
 *
 * <p>A batch X (N×(T·width), one sequence of T tokens of {@code width} entries per row, token t
 * in columns [t·width, (t + 1)·width)) maps to Y of the same shape; T is X's columns over width.
 * For each sequence, its tokens as the rows of S (T×width) give Q = S Wqᵀ ⊕ bq, K = S Wkᵀ ⊕ bk
 * and V = S Wvᵀ ⊕ bv (T×width). Head h takes the columns [h·d, (h + 1)·d) of each, d = width /
 * heads, and computes softmax(Q_h K_hᵀ/√d) V_h (T×d), the softmax along each row; the heads side
 * by side (T×width) go through the output projection Wo, bo. With the causal flag, token t attends
 * to tokens 0 to t only: the scores of later tokens are replaced by −10³⁰ before the softmax,
 * whose weight for them is then exactly 0. Sequences never attend to each other.
 *
 * <p>Initialisation: Wq, Wk, Wv and Wo (width×width, weights) each from Xavier/Glorot's
 * U(±√(6/(width + width))), drawn in that order from the given source; bq, bk, bv, bo (1×width,
 * biases) = 0, as PyTorch's {@code nn.MultiheadAttention}.
 */
public final class MultiHeadSelfAttention extends Module {
  /** The score given to a token that may not be attended to: exp of it, less any score, is 0. */
  private static final double MASKED = -1e30;

  private final int heads;
  private final boolean causal;
  private final Parameter Wq;
  private final Parameter Wk;
  private final Parameter Wv;
  private final Parameter Wo;
  private final Parameter bq;
  private final Parameter bk;
  private final Parameter bv;
  private final Parameter bo;

  /** Attention of every token to every token of its sequence. */
  public MultiHeadSelfAttention(int width, int heads, Random random) {
    this(width, heads, false, random);
  }

  /** Attention of each token to itself and the tokens before it only when causal is true. */
  public MultiHeadSelfAttention(int width, int heads, boolean causal, Random random) {
    if (width <= 0 || heads <= 0 || width % heads != 0) {
      throw new IllegalArgumentException("self-attention needs width > 0 split into heads > 0 of "
          + "equal width, got width " + width + " and " + heads + " heads");
    }
    this.heads = heads;
    this.causal = causal;
    this.Wq = weight("Wq", xavier(width, random));
    this.Wk = weight("Wk", xavier(width, random));
    this.Wv = weight("Wv", xavier(width, random));
    this.Wo = weight("Wo", xavier(width, random));
    this.bq = bias("bq", new DMatrixRMaj(1, width));
    this.bk = bias("bk", new DMatrixRMaj(1, width));
    this.bv = bias("bv", new DMatrixRMaj(1, width));
    this.bo = bias("bo", new DMatrixRMaj(1, width));
  }

  private static DMatrixRMaj xavier(int width, Random random) {
    DMatrixRMaj w = new DMatrixRMaj(width, width);
    Init.uniform(w, Math.sqrt(6.0 / (width + width)), random);
    return w;
  }

  /** Y = concat_h(softmax(Q_h K_hᵀ/√d) V_h) Woᵀ ⊕ bo for each sequence (row) of X. */
  @Override
  public Node forward(Node X, Bindings p) {
    int width = width();
    if (X.cols() % width != 0) {
      throw new IllegalArgumentException(this + ": " + X.name() + " is " + X.rows() + "×"
          + X.cols() + ", but this layer takes rows of T tokens of " + width + " entries");
    }
    int n = X.rows();
    int t = X.cols() / width;
    int d = width / heads;
    // one token per row: row i·T + s is token s of sequence i
    Node tokens = X.reshape(n * t, width);
    Node Q = Linear.apply(tokens, p.apply(Wq), p.apply(bq));
    Node K = Linear.apply(tokens, p.apply(Wk), p.apply(bk));
    Node V = Linear.apply(tokens, p.apply(Wv), p.apply(bv));
    Node allowed = causal ? X.tape().constant("causal", lowerTriangle(t)) : null;
    Node masked = causal ? X.tape().scalar(MASKED) : null;
    Node[] sequences = new Node[n];
    for (int i = 0; i < n; i++) {
      Node q = Q.sliceRows(i * t, (i + 1) * t);
      Node k = K.sliceRows(i * t, (i + 1) * t);
      Node v = V.sliceRows(i * t, (i + 1) * t);
      Node[] out = new Node[heads];
      for (int h = 0; h < heads; h++) {
        int from = h * d;
        Node scores = q.sliceCols(from, from + d).matmulTransB(k.sliceCols(from, from + d))
            .scale(1 / Math.sqrt(d));
        if (causal) {
          scores = Node.where(allowed, scores, masked);
        }
        out[h] = scores.softmax().matmul(v.sliceCols(from, from + d));
      }
      sequences[i] = concat(out, false);
    }
    return Linear.apply(concat(sequences, true), p.apply(Wo), p.apply(bo)).reshape(n, t * width);
  }

  /** The nodes one below the other (rows) or side by side; the node itself when it is alone. */
  private static Node concat(Node[] parts, boolean rows) {
    if (parts.length == 1) {
      return parts[0];
    }
    Node[] rest = java.util.Arrays.copyOfRange(parts, 1, parts.length);
    return rows ? parts[0].concatRows(rest) : parts[0].concatCols(rest);
  }

  /** 1 where token s may attend to token u (u ≤ s), 0 elsewhere: T×T. */
  private static DMatrixRMaj lowerTriangle(int t) {
    DMatrixRMaj m = new DMatrixRMaj(t, t);
    for (int s = 0; s < t; s++) {
      for (int u = 0; u <= s; u++) {
        m.set(s, u, 1);
      }
    }
    return m;
  }

  /** The width of one token. */
  public int width() {
    return Wq.rows();
  }

  /** The number of heads. */
  public int heads() {
    return heads;
  }

  /** True when a token attends only to itself and the tokens before it. */
  public boolean causal() {
    return causal;
  }

  @Override
  public String toString() {
    return "MultiHeadSelfAttention(width " + width() + ", " + heads + " heads"
        + (causal ? ", causal" : "") + ")";
  }
}
