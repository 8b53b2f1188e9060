package dev.autodiff.nn;

import dev.autodiff.core.Node;
import java.util.Random;

/**
 * The Elman cell, PyTorch's {@code RNNCell} with tanh: h' = tanh(x Wxᵀ + h Whᵀ ⊕ b), with Wx
 * (hidden×in), Wh (hidden×hidden) and b (1×hidden). PyTorch's two biases b_ih + b_hh are the one b
 * here (only their sum matters).
 *
 * <p>Initialisation: every entry of Wx, Wh and b from U(−1/√hidden, 1/√hidden), as PyTorch's; same
 * random source, same values.
 */
public final class RnnCell extends RecurrentCell {
  private final Parameter b;

  /** A cell taking in columns per step and keeping hidden, initialised from random. */
  public RnnCell(int in, int hidden, Random random) {
    super(in, hidden, 1, random);
    this.b = gateBias("b");
  }

  @Override
  State next(Node x, State state, Bindings p) {
    return State.of(x.matmulTransB(p.apply(Wx)).add(state.h().matmulTransB(p.apply(Wh)))
        .add(p.apply(b)).tanh());
  }
}
