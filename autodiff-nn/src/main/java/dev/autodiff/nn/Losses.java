package dev.autodiff.nn;

import dev.autodiff.core.Node;
import dev.autodiff.core.Shapes;
import java.util.function.BinaryOperator;

/** The losses of the notes. N is the number of rows (examples) of the batch. */
public final class Losses {
  private Losses() {}

  /** L = ½‖Y − V‖²_F (seed 000), summed over the batch;  ∂L/∂V = V − Y. */
  public static final Loss HALF_SQUARED_ERROR = new Defined("½‖Y − V‖²_F", false,
      (V, Y) -> Y.sub(V).halfSquaredNorm(), false);

  /**
   * L = (1/N) Σₙ ½‖yₙ − vₙ‖² (seed 003's scaled L2 error averaged over the batch);
   * ∂L/∂V = (V − Y)/N. For outputs of k columns this is k/2 times PyTorch's {@code MSELoss},
   * which averages over all N·k entries with no ½.
   */
  public static final Loss MEAN_SQUARED_ERROR = new Defined("mean squared error", false,
      (V, Y) -> Y.sub(V).halfSquaredNorm().scale(1.0 / V.rows()), true);

  /**
   * L = (1/N) Σ −y log σ(z) − (1 − y) log(1 − σ(z)) from logits Z, computed as
   * max(z, 0) − z y + log(1 + e^(−|z|)) so it is finite for any z;  ∂L/∂Z = (σ(Z) − Y)/N.
   */
  public static final Loss BINARY_CROSS_ENTROPY_WITH_LOGITS = new Defined(
      "binary cross-entropy", true, (Z, Y) -> Z.apply(BinaryCrossEntropy.INSTANCE, Y), true);

  /**
   * L = −(1/N) Σ Y ⊙ logSoftmax(Z), each row of Y a distribution (one-hot for labels); the core's
   * logSoftmax shifts by the row max, so logits of ±1000 stay finite;  ∂L/∂Z = (softmax(Z) − Y)/N.
   */
  public static final Loss SOFTMAX_CROSS_ENTROPY_WITH_LOGITS = new Defined(
      "softmax cross-entropy", true, (Z, Y) -> Y.mul(Z.logSoftmax()).sum().scale(-1.0 / Z.rows()),
      true);

  /** A loss from its formula on nodes, after a check that output and Y have the same shape. */
  private record Defined(String name, boolean fromLogits, BinaryOperator<Node> f,
      boolean averagesRows) implements Loss {
    @Override
    public Node apply(Node output, Node Y) {
      Shapes.requireSame(name, output, Y);
      return f.apply(output, Y);
    }
  }
}
