package dev.autodiff.nn;

import dev.autodiff.core.Node;
import java.util.Random;

/**
 * The gated recurrent unit, PyTorch's {@code GRUCell}: with the gates' pre-activations from the
 * input, ax = x Wxᵀ ⊕ bx, and from the state, ah = h Whᵀ ⊕ bh (each N×3·hidden, the gates r, z, n
 * in that order along the columns),
 *
 * <pre>
 * r  = σ(ax_r + ah_r)
 * z  = σ(ax_z + ah_z)
 * n  = tanh(ax_n + r ⊙ ah_n)          (ah_n = h Whnᵀ + b_hn: the reset gate scales it whole)
 * h' = (1 − z) ⊙ n + z ⊙ h
 * </pre>
 *
 * Wx (3·hidden×in), Wh (3·hidden×hidden), bx and bh (1×3·hidden) are PyTorch's weight_ih,
 * weight_hh, bias_ih and bias_hh; both biases are kept, since b_hn sits inside r ⊙ (…).
 *
 * <p>Initialisation: every entry of Wx, Wh, bx and bh from U(−1/√hidden, 1/√hidden), as PyTorch's;
 * same random source, same values.
 */
public final class GruCell extends RecurrentCell {
  private final Parameter bx;
  private final Parameter bh;

  /** A cell taking in columns per step and keeping hidden, initialised from random. */
  public GruCell(int in, int hidden, Random random) {
    super(in, hidden, 3, random);
    this.bx = gateBias("bx");
    this.bh = gateBias("bh");
  }

  @Override
  State next(Node x, State state, Bindings p) {
    Node h = state.h();
    Node ax = x.matmulTransB(p.apply(Wx)).add(p.apply(bx));
    Node ah = h.matmulTransB(p.apply(Wh)).add(p.apply(bh));
    Node r = gate(ax, 0).add(gate(ah, 0)).sigmoid();
    Node z = gate(ax, 1).add(gate(ah, 1)).sigmoid();
    Node n = gate(ax, 2).add(r.mul(gate(ah, 2))).tanh();
    // (1 − z) ⊙ n + z ⊙ h written as n + z ⊙ (h − n): three ops instead of five
    return State.of(n.add(z.mul(h.sub(n))));
  }
}
