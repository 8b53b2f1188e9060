package dev.autodiff.nn;

import dev.autodiff.core.Node;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;

/**
 * A fully connected layer with W (out×in) and b (1×out): a batch X (N×in, one example per row)
 * maps to Z = X Wᵀ ⊕ b (N×out), the bias row added to every row.
 *
 * <p>The single-example column form z = W x + b of the notes is {@code W.matmul(x).add(b)} with x
 * in×1 and b out×1; the batched form here is its transpose, row by row.
 *
 * <p>Initialisation: W from Xavier/Glorot's U(±√(6/(in + out))), or He's N(0, 2/in) for a layer
 * followed by relu ({@link #he}); b = 0. Same random source, same values.
 */
public final class Linear extends Module {
  private final Parameter W;
  private final Parameter b;

  /** A layer with Xavier-initialised W (see the class comment) and b = 0. */
  public Linear(int in, int out, Random random) {
    this(in, out, Activation.IDENTITY, random);
  }

  /** A layer with He-initialised W, N(0, 2/in), for a relu after it; b = 0. */
  public static Linear he(int in, int out, Random random) {
    return new Linear(in, out, Activation.RELU, random);
  }

  private Linear(int in, int out, Activation g, Random random) {
    this("W", "b", in, out, g, random);
  }

  /**
   * A layer whose parameters are named wName and bName, initialised for the activation after it:
   * He for relu, Xavier otherwise.
   */
  Linear(String wName, String bName, int in, int out, Activation g, Random random) {
    if (in <= 0 || out <= 0) {
      throw new IllegalArgumentException("a linear layer needs in > 0 and out > 0, got " + in
          + " and " + out);
    }
    DMatrixRMaj w = new DMatrixRMaj(out, in);
    if (g == Activation.RELU) {
      Init.normal(w, Math.sqrt(2.0 / in), random);
    } else {
      Init.uniform(w, Math.sqrt(6.0 / (in + out)), random);
    }
    this.W = weight(wName, w);
    this.b = bias(bName, new DMatrixRMaj(1, out));
  }

  /** A layer over the given parameters, e.g. restored from a file. Not copied. */
  Linear(Parameter W, Parameter b) {
    if (b.rows() != 1 || b.cols() != W.rows()) {
      throw new IllegalArgumentException(b.name() + " must be 1×" + W.rows() + " to match " + W
          + ", got " + b.rows() + "×" + b.cols());
    }
    this.W = register(W);
    this.b = register(b);
  }

  /** Z = X Wᵀ ⊕ b. */
  @Override
  public Node forward(Node X, Bindings p) {
    if (X.cols() != in()) {
      throw new IllegalArgumentException("linear " + in() + "→" + out() + ": " + X.name() + " is "
          + X.rows() + "×" + X.cols() + ", but this layer takes " + in() + " columns");
    }
    return apply(X, p.apply(W), p.apply(b));
  }

  /** Z = X Wᵀ ⊕ b on nodes: X N×in, W out×in, b 1×out. */
  public static Node apply(Node X, Node W, Node b) {
    return X.matmulTransB(W).add(b);
  }

  /** The weights (out×in). */
  public Parameter W() {
    return W;
  }

  /** The bias row (1×out). */
  public Parameter b() {
    return b;
  }

  /** The input width. */
  public int in() {
    return W.cols();
  }

  /** The output width. */
  public int out() {
    return W.rows();
  }

  @Override
  public String toString() {
    return "Linear(" + in() + " → " + out() + ")";
  }
}
