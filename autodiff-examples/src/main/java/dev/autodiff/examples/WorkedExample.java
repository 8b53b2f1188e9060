package dev.autodiff.examples;

import dev.autodiff.core.Gradients;
import dev.autodiff.core.Node;
import dev.autodiff.core.Tape;
import java.io.PrintStream;
import java.util.List;
import org.ejml.data.DMatrixRMaj;

/**
 * The worked example of the notes: u = Wx + b, h = ReLU(u), v = Mh + c, L = ½‖y − v‖²_F,
 * s = ½‖W‖²_F + ½‖M‖²_F, J = L + s, with x = [6, 3], y = [3, 5].
 */
public final class WorkedExample {
  /** Every named node of the network, for printing and tracing. */
  public record Network(Tape tape, Node x, Node y, Node W, Node b, Node M, Node c, Node u, Node h,
      Node v, Node L, Node s1, Node s2, Node s, Node J) {

    public List<Node> forwardValues() {
      return List.of(u, h, v, L, s1, s2, s, J);
    }

    public List<Node> gradientTargets() {
      return List.of(J, L, s, s1, s2, v, M, c, h, u, W, b);
    }
  }

  private WorkedExample() {}

  public static Network build() {
    Tape tape = new Tape();
    Node x = tape.constant("x", col(6, 3));
    Node y = tape.constant("y", col(3, 5));
    Node W = tape.variable("W", new DMatrixRMaj(new double[][] {{.3, .5}, {.2, .7}, {.1, .4}}));
    Node b = tape.variable("b", col(.1, .2, .3));
    Node M = tape.variable("M", new DMatrixRMaj(new double[][] {{.3, .5, .1}, {.2, .7, .8}}));
    Node c = tape.variable("c", col(.3, .5));

    Node u = W.matmul(x).add(b).named("u");
    Node h = u.relu().named("h");
    Node v = M.matmul(h).add(c).named("v");
    Node L = y.sub(v).halfSquaredNorm().named("L");
    Node s1 = W.halfSquaredNorm().named("s1");
    Node s2 = M.halfSquaredNorm().named("s2");
    Node s = s1.add(s2).named("s");
    Node J = L.add(s).named("J");
    return new Network(tape, x, y, W, b, M, c, u, h, v, L, s1, s2, s, J);
  }

  static DMatrixRMaj col(double... v) {
    return new DMatrixRMaj(v.length, 1, true, v);
  }

  /** Prints every forward value and every gradient of the backward pass. */
  public static void run(PrintStream out) {
    Network n = build();
    out.println("Forward propagation");
    for (Node node : List.of(n.x(), n.W(), n.b(), n.M(), n.c(), n.y())) {
      out.println("  " + Format.assign(node.name(), node.value()));
    }
    for (Node node : n.forwardValues()) {
      out.println("  " + Format.assign(node.name(), node.value()));
    }
    Gradients g = n.tape().backward(n.J());
    out.println();
    out.println("Backward propagation");
    for (Node node : n.gradientTargets()) {
      out.println("  " + Format.assign("∂J/∂" + node.name(), g.get(node)));
    }
  }
}
