package dev.autodiff.examples;

import dev.autodiff.core.Node;
import dev.autodiff.core.Tape;
import org.ejml.data.DMatrixRMaj;

/**
 * Seed 004's 4-3-2-1 network in its row-vector convention: z = a W + b, a = σ(z) at every layer,
 * and the binary cross-entropy L = −[y log ŷ + (1 − y) log(1 − ŷ)] with ŷ = a3.
 */
public final class SigmoidNetwork {
  /** The named nodes. */
  public record Network(Tape tape, Node a0, Node W1, Node b1, Node a1, Node W2, Node b2, Node z2,
      Node a2, Node W3, Node b3, Node yHat, Node L) {}

  private SigmoidNetwork() {}

  public static Network build() {
    Tape tape = new Tape();
    Node a0 = tape.constant("a0", new DMatrixRMaj(1, 4, true, 0.5, -1.0, 2.0, 0.1));
    Node W1 = tape.variable("W1", new DMatrixRMaj(new double[][] {
        {0.2, -0.4, 0.1}, {0.5, 0.3, -0.2}, {-0.3, 0.8, 0.4}, {0.1, -0.1, 0.6}}));
    Node b1 = tape.variable("b1", new DMatrixRMaj(1, 3, true, 0.1, -0.1, 0.05));
    Node W2 = tape.variable("W2", new DMatrixRMaj(new double[][] {
        {0.7, -0.5}, {-0.2, 0.9}, {0.4, 0.3}}));
    Node b2 = tape.variable("b2", new DMatrixRMaj(1, 2, true, -0.2, 0.1));
    Node W3 = tape.variable("W3", new DMatrixRMaj(2, 1, true, 1.2, -0.8));
    Node b3 = tape.variable("b3", new DMatrixRMaj(1, 1, true, 0.3));
    Node y = tape.constant("y", new DMatrixRMaj(1, 1, true, 1));

    Node a1 = a0.matmul(W1).add(b1).named("z1").sigmoid().named("a1");
    Node z2 = a1.matmul(W2).add(b2).named("z2");
    Node a2 = z2.sigmoid().named("a2");
    Node yHat = a2.matmul(W3).add(b3).named("z3").sigmoid().named("ŷ");
    Node one = tape.scalar(1).named("1");
    Node hit = y.mul(yHat.log().named("log ŷ")).named("y log ŷ");
    Node miss = one.sub(y).named("1 − y")
        .mul(one.sub(yHat).named("1 − ŷ").log().named("log(1 − ŷ)")).named("(1 − y) log(1 − ŷ)");
    Node L = hit.add(miss).named("−L").neg().named("L");
    return new Network(tape, a0, W1, b1, a1, W2, b2, z2, a2, W3, b3, yHat, L);
  }
}
