package dev.autodiff.nn;

import dev.autodiff.core.Node;
import dev.autodiff.core.Shapes;

/** The losses of the notes. N is the number of rows (examples) of the batch. */
public final class Losses {
  private Losses() {}

  /** L = ½‖Y − V‖²_F (seed 000), summed over the batch;  ∂L/∂V = V − Y. */
  public static final Loss HALF_SQUARED_ERROR = new Loss() {
    @Override
    public String name() {
      return "½‖Y − V‖²_F";
    }

    @Override
    public boolean fromLogits() {
      return false;
    }

    @Override
    public Node apply(Node V, Node Y) {
      Shapes.requireSame(name(), V, Y);
      return Y.sub(V).square().sum().scale(0.5);
    }
  };

  /**
   * L = (1/N) Σₙ ½‖yₙ − vₙ‖² (seed 003's scaled L2 error averaged over the batch);
   * ∂L/∂V = (V − Y)/N.
   */
  public static final Loss MEAN_SQUARED_ERROR = new Loss() {
    @Override
    public String name() {
      return "mean squared error";
    }

    @Override
    public boolean fromLogits() {
      return false;
    }

    @Override
    public Node apply(Node V, Node Y) {
      Shapes.requireSame(name(), V, Y);
      return Y.sub(V).square().sum().scale(0.5 / V.rows());
    }
  };

  /**
   * L = (1/N) Σ −y log σ(z) − (1 − y) log(1 − σ(z)) from logits Z, computed as
   * max(z, 0) − z y + log(1 + e^(−|z|)) so it is finite for any z;  ∂L/∂Z = (σ(Z) − Y)/N.
   */
  public static final Loss BINARY_CROSS_ENTROPY_WITH_LOGITS = new Loss() {
    @Override
    public String name() {
      return "binary cross-entropy";
    }

    @Override
    public boolean fromLogits() {
      return true;
    }

    @Override
    public Node apply(Node Z, Node Y) {
      return Z.apply(BinaryCrossEntropy.INSTANCE, Y);
    }
  };

  /**
   * L = −(1/N) Σ Y ⊙ logSoftmax(Z), each row of Y a distribution (one-hot for labels); the core's
   * logSoftmax shifts by the row max, so logits of ±1000 stay finite;  ∂L/∂Z = (softmax(Z) − Y)/N.
   */
  public static final Loss SOFTMAX_CROSS_ENTROPY_WITH_LOGITS = new Loss() {
    @Override
    public String name() {
      return "softmax cross-entropy";
    }

    @Override
    public boolean fromLogits() {
      return true;
    }

    @Override
    public Node apply(Node Z, Node Y) {
      Shapes.requireSame(name(), Z, Y);
      return Y.mul(Z.logSoftmax()).sum().scale(-1.0 / Z.rows());
    }
  };
}
