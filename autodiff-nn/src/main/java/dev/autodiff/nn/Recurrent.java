package dev.autodiff.nn;

import dev.autodiff.core.Node;
import dev.autodiff.core.Shapes;
import java.util.Objects;

/**
 * A recurrent layer: a cell unrolled over sequences of T steps, from the zero state. The input is
 * N×(T·in), one sequence per row, step t in columns [t·in, (t+1)·in); the output is every step's
 * h, N×(T·hidden) with step t in columns [t·hidden, (t+1)·hidden) (PyTorch's {@code output},
 * Keras's {@code return_sequences=True}), or the last step's h alone, N×hidden ({@link
 * Output#LAST}). T is read from the input's width, so one layer takes sequences of any length.
 *
 * <pre>{@code
 * Recurrent lstm = new Recurrent(new LstmCell(in, 64, new Random(1)));   // N×(T·in) → N×(T·64)
 * Recurrent last = new Recurrent(new GruCell(in, 64, random), Recurrent.Output.LAST);
 * }</pre>
 *
 * <p>The unrolled graph is made of the core's nodes, one group per step, so its gradient is
 * backpropagation through time and a {@link Trainer}'s compiled plan runs it. The cell is a
 * sub-module named "cell": its parameters are {@code cell.Wx}, {@code cell.Wh}, … For one step
 * at a time with a state carried between steps, use the cell's {@link RecurrentCell#step}.
 */
public final class Recurrent extends Module {
  /** What the layer returns. */
  public enum Output {
    /** Every step's h, N×(T·hidden). */
    SEQUENCE,
    /** The last step's h, N×hidden. */
    LAST
  }

  private final RecurrentCell cell;
  private final Output output;

  /** The cell unrolled, returning every step's h. */
  public Recurrent(RecurrentCell cell) {
    this(cell, Output.SEQUENCE);
  }

  /** The cell unrolled, returning what output says. */
  public Recurrent(RecurrentCell cell, Output output) {
    this.cell = module("cell", Objects.requireNonNull(cell, "cell"));
    this.output = Objects.requireNonNull(output, "output");
  }

  /**
   * Every step's h side by side (N×(T·hidden)) or the last one (N×hidden), from input (N×(T·in)).
   *
   * @throws IllegalArgumentException when the input's width is not a positive multiple of the
   *     cell's input width, before any node is recorded
   */
  @Override
  public Node forward(Node input, Bindings p) {
    int in = cell.inputWidth();
    if (input.cols() % in != 0) {
      throw new IllegalArgumentException(this + ": " + Shapes.describe(input) + " has "
          + input.cols() + " columns, not a whole number of steps of " + in + " input columns "
          + "(hidden width " + cell.hiddenWidth() + ")");
    }
    int steps = input.cols() / in;
    RecurrentCell.State s = cell.zeroState(input.tape(), input.rows());
    Node[] h = new Node[steps];
    for (int t = 0; t < steps; t++) {
      Node x = steps == 1 ? input : input.sliceCols(t * in, (t + 1) * in);
      s = cell.step(x, s, p);
      h[t] = s.h();
    }
    if (output == Output.LAST || steps == 1) {
      return h[steps - 1];
    }
    return h[0].concatCols(java.util.Arrays.copyOfRange(h, 1, steps));
  }

  /** The cell unrolled. */
  public RecurrentCell cell() {
    return cell;
  }

  /** Every step's h, or the last one. */
  public Output output() {
    return output;
  }

  @Override
  public String toString() {
    return "Recurrent(" + cell + (output == Output.LAST ? ", last step" : "") + ")";
  }
}
