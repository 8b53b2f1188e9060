package dev.autodiff.nn;

import static com.google.common.base.Preconditions.checkArgument;

import dev.autodiff.core.Node;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.ejml.data.DMatrixRMaj;

/**
 * A fully connected layer with W (out×in) and b (1×out): a batch X (N×in, one example per row)
 * maps to Z = X Wᵀ ⊕ b (N×out), the bias row added to every row.
 *
 * <p>The single-example column form z = W x + b of the notes is {@code W.matmul(x).add(b)} with x
 * in×1 and b out×1; the batched form here is its transpose, row by row.
 */
public final class Linear {
  private final Parameter W;
  private final Parameter b;

  /** A layer with the given parameters, e.g. restored from a file. Not copied. */
  Linear(Parameter W, Parameter b) {
    checkArgument(b.rows() == 1 && b.cols() == W.rows(),
        "%s must be 1×%s to match %s, got %s×%s", b.name(), W.rows(), W, b.rows(), b.cols());
    this.W = W;
    this.b = b;
  }

  /**
   * A layer initialised from random: W from the scheme that suits the activation after it (He:
   * N(0, 2/in) for relu; Xavier: U(±√(6/(in + out))) otherwise), b = 0.
   */
  static Linear initialised(String suffix, int in, int out, Activation g, Random random) {
    checkArgument(in > 0 && out > 0, "a layer needs in > 0 and out > 0, got %s and %s", in, out);
    DMatrixRMaj w = new DMatrixRMaj(out, in);
    if (g == Activation.RELU) {
      double sd = Math.sqrt(2.0 / in);
      for (int k = 0; k < w.getNumElements(); k++) {
        w.data[k] = sd * random.nextGaussian();
      }
    } else {
      double limit = Math.sqrt(6.0 / (in + out));
      for (int k = 0; k < w.getNumElements(); k++) {
        w.data[k] = limit * (2 * random.nextDouble() - 1);
      }
    }
    return new Linear(new Parameter("W" + suffix, w, true),
        new Parameter("b" + suffix, new DMatrixRMaj(1, out), false));
  }

  /** Z = X Wᵀ ⊕ b, with W and b bound to nodes by {@code bind}. */
  public Node forward(Node X, Function<Parameter, Node> bind) {
    return apply(X, bind.apply(W), bind.apply(b));
  }

  /** Z = X Wᵀ ⊕ b on nodes: X N×in, W out×in, b 1×out. */
  public static Node apply(Node X, Node W, Node b) {
    return X.matmulTransB(W).add(b);
  }

  public Parameter W() {
    return W;
  }

  public Parameter b() {
    return b;
  }

  public int in() {
    return W.cols();
  }

  public int out() {
    return W.rows();
  }

  public List<Parameter> parameters() {
    return List.of(W, b);
  }
}
