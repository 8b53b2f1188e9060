package dev.autodiff.core.check;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autodiff.core.Gradients;
import dev.autodiff.core.Node;
import dev.autodiff.core.Tape;
import dev.autodiff.core.trace.Explanation;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The chain rule's terms checked one by one, each against central differences of the path through
 * its consumer alone. (A wrong term whose total is right: {@link WrongGradientsTest}.)
 */
class TermCheckTest {
  final Tape tape = new Tape();
  final Node x = tape.constant("x", new DMatrixRMaj(new double[][] {{6}, {3}}));
  final Node W = tape.variable("W", new DMatrixRMaj(new double[][] {{.3, -.5}, {.2, .7},
      {-.1, .4}}));
  final Node b = tape.variable("b", new DMatrixRMaj(new double[][] {{.1}, {-.2}, {.3}}));
  // W feeds J twice, through the product and through the penalty
  final Node u = W.matmul(x).add(b).named("u");
  final Node J = u.tanh().sum().add(W.halfSquaredNorm().scale(0.1)).named("J");

  @Test
  void everyTermATracePrintsPassesOnItsOwn() {
    Gradients g = tape.backward(J);
    int terms = 0;
    for (Explanation.Step step : Explanation.of(g).steps()) {
      for (Explanation.Term t : step.terms()) {
        GradientCheck.Report r = GradientCheck.defaults()
            .checkTerm(J, t.consumer(), t.input()).assertPassed();
        assertEquals(1, r.results().size());
        terms++;
      }
    }
    assertEquals(9, terms); // J: 2, the penalty: 2, tanh∘sum: 2, u: 2, W·x: 1 (x is constant)
    GradientCheck.Report all = GradientCheck.defaults().checkTerms(J).assertPassed();
    assertEquals(terms, all.results().size(), all::toString);
    assertTrue(all.toString().endsWith("all 9 terms passed"), all::toString);
  }

  @Test
  void aTermIsItsConsumersContributionAndTheTermsOfWSumToItsGradient() {
    Gradients g = tape.backward(J);
    Node product = u.input(0);   // W·x
    Node square = tape.nodes().stream()
        .filter(n -> n.op() != null && n.arity() == 1 && n.input(0) == W).findFirst()
        .orElseThrow();          // ½‖W‖², W's other consumer
    DMatrixRMaj viaProduct = g.contribution(product, 0);
    DMatrixRMaj viaPenalty = g.contribution(square, 0);
    double[] sum = new double[6];
    for (int k = 0; k < 6; k++) {
      sum[k] = viaProduct.data[k] + viaPenalty.data[k];
    }
    assertArrayEquals(g.get(W).data, sum, 1e-15);
    GradientCheck.Report r = GradientCheck.defaults().checkTerm(J, product, 0).assertPassed();
    assertEquals("prod(∂J/∂" + product.name() + ", ∂" + product.name() + "/∂W)",
        r.results().get(0).name());
    // the term alone, not the total: its numeric side is the path through W·x only
    GradientCheck.Result term = r.results().get(0);
    assertEquals(viaProduct.get(term.worstRow(), term.worstCol()), term.analytic(), 0);
  }

  @Test
  void aTermNoGradientFlowsThroughIsRefusedByName() {
    Node constantProduct = x.transpose().matmul(x).named("xᵀx");
    Node K = J.add(constantProduct).named("K");
    var e = assertThrows(IllegalArgumentException.class,
        () -> GradientCheck.defaults().checkTerm(K, constantProduct, 0));
    assertEquals("checkTerm: no gradient flows from K through xᵀx to " + constantProduct.input(0)
        .name(), e.getMessage());
    var scalar = assertThrows(IllegalArgumentException.class,
        () -> GradientCheck.defaults().checkTerms(u));
    assertTrue(scalar.getMessage().startsWith("gradient check needs a scalar function"));
  }
}
