package dev.autodiff.nn;

import dev.autodiff.core.Node;
import dev.autodiff.core.Shapes;
import dev.autodiff.core.Tape;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;

/**
 * One time step of a recurrent network on a batch: the input x (N×in, one sequence per row) and
 * the state (N×hidden per part) map to the next state. {@link Recurrent} unrolls a cell over
 * sequences; {@link #step} runs it one step at a time, as a sampler does.
 *
 * <pre>{@code
 * LstmCell cell = new LstmCell(V, 128, new Random(1));
 * RecurrentCell.State s = cell.zeroState(tape, 1);
 * for (Node x : inputs) {
 *   s = cell.step(x, s, p);          // s.h() is the output, 1×128
 * }
 * }</pre>
 *
 * <p>Weights in PyTorch's layout: the gates stacked by rows, Wx (gates·hidden×in) for the input
 * and Wh (gates·hidden×hidden) for the state, so that x Wxᵀ (N×gates·hidden) holds the gates
 * side by side and each is a slice of columns. Initialisation as PyTorch's: every entry of every
 * weight and bias from U(−1/√hidden, 1/√hidden), drawn from the given source in registration order.
 */
public abstract sealed class RecurrentCell extends Module permits RnnCell, GruCell, LstmCell {
  /**
   * The state between two steps: h, the output (N×hidden), and for an LSTM its memory c
   * (N×hidden); c is null for a cell without one.
   */
  public record State(Node h, Node c) {
    /** The state of a cell whose state is its output alone. */
    public static State of(Node h) {
      return new State(h, null);
    }
  }

  private final int gates;
  private final Random random;
  /** Input weights, gates·hidden×in. */
  protected final Parameter Wx;
  /** State weights, gates·hidden×hidden. */
  protected final Parameter Wh;

  /** Registers Wx and Wh for the given number of gates, drawn from random; see the class comment. */
  RecurrentCell(int in, int hidden, int gates, Random random) {
    if (in <= 0 || hidden <= 0) {
      throw new IllegalArgumentException(getClass().getSimpleName() + " needs an input width > 0 "
          + "and a hidden width > 0, got " + in + " and " + hidden);
    }
    this.gates = gates;
    this.random = java.util.Objects.requireNonNull(random, "random");
    this.Wx = weight("Wx", uniform(gates * hidden, in, hidden));
    this.Wh = weight("Wh", uniform(gates * hidden, hidden, hidden));
  }

  /** A bias of all the gates (1×gates·hidden), drawn next from the constructor's source. */
  final Parameter gateBias(String name) {
    return bias(name, uniform(1, gates * hiddenWidth(), hiddenWidth()));
  }

  private DMatrixRMaj uniform(int rows, int cols, int hidden) {
    DMatrixRMaj m = new DMatrixRMaj(rows, cols);
    Init.uniform(m, 1 / Math.sqrt(hidden), random);
    return m;
  }

  /** The columns of each input step. */
  public final int inputWidth() {
    return Wx.cols();
  }

  /** The columns of h (and c). */
  public final int hiddenWidth() {
    return Wh.cols();
  }

  /** True when the state has a memory c besides h (an LSTM). */
  public boolean hasMemory() {
    return false;
  }

  /**
   * The next state from input x (N×in) and state (N×hidden each), with the parameters bound by p.
   *
   * @throws IllegalArgumentException when x or the state does not fit this cell, before any node
   *     is recorded
   */
  public final State step(Node x, State state, Bindings p) {
    int n = x.rows();
    if (x.cols() != inputWidth()) {
      throw new IllegalArgumentException(this + ": " + Shapes.describe(x) + " has "
          + x.cols() + " columns, but this cell takes " + inputWidth() + " input columns (and "
          + "keeps " + hiddenWidth() + " hidden)");
    }
    requireState("h", state.h(), n);
    if (hasMemory()) {
      requireState("c", state.c(), n);
    }
    return next(x, state, p);
  }

  private void requireState(String part, Node s, int n) {
    if (s == null) {
      throw new IllegalArgumentException(this + ": the state has no " + part);
    }
    if (s.rows() != n || s.cols() != hiddenWidth()) {
      throw new IllegalArgumentException(this + ": the state's " + part + " is "
          + Shapes.describe(s) + ", but an input of " + n + " rows needs "
          + Shapes.of(n, hiddenWidth()) + " (hidden width " + hiddenWidth() + ", input width "
          + inputWidth() + ")");
    }
  }

  /** The step itself, on inputs already checked. */
  abstract State next(Node x, State state, Bindings p);

  /** The zero state for N rows: h = 0 (and c = 0), constants on tape. */
  public final State zeroState(Tape tape, int rows) {
    Node h = tape.constant("h0", new DMatrixRMaj(rows, hiddenWidth()));
    return hasMemory() ? new State(h, tape.constant("c0", new DMatrixRMaj(rows, hiddenWidth())))
        : State.of(h);
  }

  /** Gate k of the stacked pre-activations a (N×gates·hidden): its columns. */
  final Node gate(Node a, int k) {
    int h = hiddenWidth();
    return a.sliceCols(k * h, (k + 1) * h);
  }

  /** h after one step from the zero state, as PyTorch's cells without a state argument. */
  @Override
  public Node forward(Node x, Bindings p) {
    return step(x, zeroState(x.tape(), x.rows()), p).h();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "(" + inputWidth() + " → " + hiddenWidth() + ")";
  }
}
