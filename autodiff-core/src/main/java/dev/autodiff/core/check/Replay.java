package dev.autodiff.core.check;

import dev.autodiff.core.Node;
import dev.autodiff.core.Tape;
import java.util.List;
import org.ejml.data.DMatrixRMaj;

/**
 * A recorded graph evaluated again on a new tape, with one edge cut: consumer c reads its input i
 * from a separate leaf z, while every other reader of that input still reads the recorded value.
 * J as a function of z is the path through c alone, whose gradient is the term prod(∂J/∂c, ∂c/∂n).
 */
final class Replay {
  private final Node root;
  private final Node consumer;
  private final int input;

  Replay(Node root, Node consumer, int input) {
    this.root = root;
    this.consumer = consumer;
    this.input = input;
  }

  /** J with c's input replaced by z. z Not modified; the recorded values Not modified. */
  double evaluate(DMatrixRMaj z) {
    List<Node> nodes = root.tape().nodes();
    Tape tape = new Tape();
    Node cut = tape.constant("z", z);
    Node[] copy = new Node[root.index() + 1];
    for (int i = 0; i <= root.index(); i++) {
      Node n = nodes.get(i);
      if (n.op() == null) {
        copy[i] = tape.constant(n.name(), n.value()); // leaves as recorded: the ops only read them
        continue;
      }
      Node[] in = new Node[n.arity()];
      for (int k = 0; k < in.length; k++) {
        in[k] = n == consumer && k == input ? cut : copy[n.input(k).index()];
      }
      copy[i] = tape.apply(n.op(), in);
    }
    return copy[root.index()].scalar();
  }
}
