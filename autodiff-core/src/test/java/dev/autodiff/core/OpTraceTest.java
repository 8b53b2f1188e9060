package dev.autodiff.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autodiff.core.trace.Dot;
import dev.autodiff.core.trace.Explanation;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every op of the table in the teaching trace: its name in the forward pass, its gradient formula
 * in the backward one, and a box of its own in the drawing.
 */
class OpTraceTest {

  static List<Arguments> firstShapeOfEachOp() {
    List<Arguments> out = new ArrayList<>();
    List<String> seen = new ArrayList<>();
    OpGradientTest.cases().forEach(a -> {
      OpGradientTest.Case c = (OpGradientTest.Case) ((Named<?>) a.get()[0]).getPayload();
      if (!seen.contains(c.op())) {
        seen.add(c.op());
        out.add(a);
      }
    });
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("firstShapeOfEachOp")
  void theTracePrintsTheOpsFormulaAndTheDrawingShowsIt(OpGradientTest.Case c) {
    Tape tape = new Tape();
    List<Node> x = new ArrayList<>();
    Random rng = new Random(2);
    for (int i = 0; i < c.shapes().length; i++) {
      int[] s = c.shapes()[i];
      x.add(tape.variable("x" + i, Matrices.uniform(rng, s[0], s[1], c.lo(), c.hi())));
    }
    int first = tape.size();
    Node J = OpGradientTest.readOut(c).apply(x).named("J");
    Gradients g = tape.backward(J);
    StringBuilder forward = new StringBuilder();
    StringBuilder backward = new StringBuilder();
    Explanation e = Explanation.of(g).fold(false);
    e.forwardText(forward);
    e.text(backward);
    String dot = Dot.of(g);
    for (Node n : tape.nodes().subList(first, tape.size())) {
      if (!(n.op() instanceof Primitive op)) {
        continue;
      }
      assertTrue(forward.toString().contains(op.name() + "("), op.name() + " in\n" + forward);
      assertTrue(dot.contains("| " + op.name().replaceAll("([{}|<>])", "\\\\$1") + " "),
          op.name() + " in\n" + dot);
      for (int i = 0; i < n.arity(); i++) {
        if (!g.has(n) || !g.has(n.input(i))) {
          continue;
        }
        // the formula's own text between its placeholders, e.g. " ⊙ σ(" of "{g} ⊙ σ({0})"
        for (String piece : op.gradientFormula(i).split("\\{(g|y|\\d+)}")) {
          assertTrue(backward.toString().contains(piece), "«" + piece + "» of " + op.name()
              + "'s formula in\n" + backward);
        }
      }
    }
  }
}
