package dev.autodiff.nn;

import dev.autodiff.core.Node;
import java.util.Random;

/**
 * The long short-term memory cell, PyTorch's {@code LSTMCell}: from a = x Wxᵀ + h Whᵀ ⊕ b
 * (N×4·hidden), the gates i = σ(a_i), f = σ(a_f), g = tanh(a_g), o = σ(a_o), in that order along
 * the columns; then c' = f ⊙ c + i ⊙ g and h' = o ⊙ tanh(c'). Wx is 4·hidden×in, Wh
 * 4·hidden×hidden, each gate's rows stacked in the order i, f, g, o as PyTorch's weight_ih and
 * weight_hh; b (1×4·hidden) is PyTorch's b_ih + b_hh (only their sum matters).
 *
 * <p>Initialisation: every entry of Wx, Wh and b from U(−1/√hidden, 1/√hidden), as PyTorch's; same
 * random source, same values.
 */
public final class LstmCell extends RecurrentCell {
  private final Parameter b;

  /** A cell taking in columns per step and keeping hidden, initialised from random. */
  public LstmCell(int in, int hidden, Random random) {
    super(in, hidden, 4, random);
    this.b = gateBias("b");
  }

  @Override
  public boolean hasMemory() {
    return true;
  }

  @Override
  State next(Node x, State state, Bindings p) {
    Node a = x.matmulTransB(p.apply(Wx)).add(state.h().matmulTransB(p.apply(Wh)))
        .add(p.apply(b));
    Node i = gate(a, 0).sigmoid();
    Node f = gate(a, 1).sigmoid();
    Node g = gate(a, 2).tanh();
    Node o = gate(a, 3).sigmoid();
    Node c = f.mul(state.c()).add(i.mul(g));
    return new State(o.mul(c.tanh()), c);
  }
}
