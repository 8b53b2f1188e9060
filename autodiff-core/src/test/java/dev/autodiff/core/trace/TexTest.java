package dev.autodiff.core.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.autodiff.core.Node;
import dev.autodiff.core.Tape;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class TexTest {

  @Test
  void subscriptsWordsAndAccentsReadAsTheNotesWriteThem() {
    assertEquals("x_{\\mathrm{in}}", Tex.name("x_in"));
    assertEquals("W_{1}", Tex.name("W1"));
    assertEquals("W_{2}", Tex.name("W_2"));
    assertEquals("x_{i}", Tex.name("x_i"));
    assertEquals("\\hat{y}", Tex.name("ŷ"));
    assertEquals("\\log \\hat{y}", Tex.name("log ŷ"));
    assertEquals("(1 - y) \\log(1 - \\hat{y})", Tex.name("(1 − y) log(1 − ŷ)"));
    assertEquals("\\mathrm{loss}_{2}", Tex.name("loss2"));
    assertEquals("\\partial J/\\partial W", Tex.name("∂J/∂W"));
    assertEquals("M h", Tex.name("M·h"));
    assertEquals("M^T", Tex.name("Mᵀ"));
    assertEquals("α_{1}", Tex.name("α1")); // KaTeX and MathJax read Greek as it is
  }

  @Test
  void charactersThatMeanSomethingToTexAreEscaped() {
    assertEquals("a\\backslash{}b", Tex.name("a\\b"));
    assertEquals("50\\%", Tex.name("50%"));
    assertEquals("x\\&y", Tex.name("x&y"));
    assertEquals("\\#", Tex.name("#"));
    assertEquals("x\\char\"5E{}2", Tex.name("x^2"));
    assertEquals("\\{a\\}", Tex.name("{a}"));
    assertEquals("\\$\\char\"7E{}", Tex.name("$~"));
    assertEquals("W\\_", Tex.name("W_"));
    assertEquals("\\_x", Tex.name("_x"));
    assertEquals("\\text{损}\\text{失}", Tex.name("损失"));
    assertEquals("\\char\"1F600{}", Tex.name("😀"));
  }

  /** Names that would break a LaTeX block if written as they are. */
  static final List<String> AWKWARD = List.of("x_in", "50%", "a\\b", "x&y", "#1", "x^2", "{a}",
      "$5", "a~b", "W_", "_", "ŷ", "log ŷ", "損失", "ß", "😀", "xⁱ", "é_k");

  @Test
  void everyBlockOfAnExplanationWithAwkwardNamesRendersInStrictKatex() throws Exception {
    assumeTrue(KatexUnderNode.available(), KatexUnderNode.MISSING);
    Tape tape = new Tape();
    Node sum = null;
    for (String name : AWKWARD) {
      Node x = tape.variable(name, new DMatrixRMaj(1, 2, true, 1, 2));
      Node term = x.square().named(name + "²");
      sum = sum == null ? term.sum() : sum.add(term.sum());
    }
    StringBuilder md = new StringBuilder();
    Explanation.of(tape.backward(sum.named("J_total"))).fold(false).markdown(md);
    List<String> blocks = KatexUnderNode.blocks(md);
    assertTrue(blocks.size() > 2 * AWKWARD.size(), md::toString);
    assertRendered(blocks);
    // x_in: x with the upright subscript "in"
    String xin = KatexUnderNode.render(List.of(Tex.name("x_in"))).get(0);
    assertTrue(xin.contains("<msub><mi>x</mi><mrow><mi mathvariant=\"normal\">i</mi>"
        + "<mi mathvariant=\"normal\">n</mi></mrow></msub>"), xin);
  }

  @Test
  void everyOpsFormulaRendersInStrictKatex() throws Exception {
    assumeTrue(KatexUnderNode.available(), KatexUnderNode.MISSING);
    Tape tape = new Tape();
    Node a = tape.variable("A", new DMatrixRMaj(2, 2, true, 0.5, 1.5, 2, 0.25));
    Node b = tape.variable("B", new DMatrixRMaj(2, 2, true, 1, 2, 3, 4));
    Node v = tape.variable("v", new DMatrixRMaj(2, 1, true, 1, -1));
    List<Node> outs = new ArrayList<>(List.of(a.matmul(b), a.matmulTransA(b), a.matmulTransB(b),
        a.add(b), a.add(1), a.sub(b), a.sub(1), a.mul(b), a.mul(2), a.div(b), a.divNoNan(b),
        a.scale(3), a.neg(), a.square(), a.relu(), a.maskedBy(b), a.sigmoid(), a.tanh(), a.exp(),
        a.log(), a.sqrt(), a.transpose(), a.sumRows(), a.sumCols(), a.sumTo(1, 2),
        v.broadcastTo(2, 2), a.mean(), a.frobeniusNorm(), a.halfSquaredNorm(), a.softmax(),
        a.logSoftmax(), a.add(v), a.step().mul(b)));
    Node J = outs.stream().map(Node::sum).reduce(Node::add).orElseThrow().named("J");
    StringBuilder md = new StringBuilder();
    Explanation.of(tape.backward(J)).fold(false).markdown(md);
    assertRendered(KatexUnderNode.blocks(md));
  }

  /** Formulas as ops write them, new ones included: symbols, words, Greek, scripts. */
  static final List<String> FORMULAS = List.of("(2/n){g} ⊙ ({0} − mean({0}))",
      "{g} − softmax({0}) ⊙ Σ_row {g}", "{g} ⊙ 3·{0}^2", "{g} ⊙ (0.1 + 0.9[{0} > 0])",
      "{g} ⊙ (2/√π)e^(−{0}²)", "{g} ⊙ ([{0} > 0] + [{0} ≤ 0]({y} + 1))",
      "{g} ⊙ (Φ({0}) + {0}φ({0}))", "{g} ⊙ [-1 ≤ {0} ≤ 1]", "{g} ⊙ cos({0})",
      "{g} ⊙ gelu'({0})", "{g} ⊙ m/(1 − 0.5)", "{g} ⊙ sign({0})", "{g}/k² over each window",
      "−½{g} ⊙ {y}³", "{1} ⋆ {g}", "{0} ⋆ᵀ {g}", "Σ {0}·windows({g})ᵀ", "Σ_blocks {g}",
      "Σ↓{g}", "{g} ⊙ [{0} ≥ {1}]", "{g}·∂my_op/∂{0}", "{g}·∂50%&#$~op/∂{0}", "{g}⊙{y}",
      "{y} ⊙ ({g} − Σ_row({g} ⊙ {y}))", "½‖{0}‖²", "σ({0})", "ReLU({0})", "{g} ⊙ ReLU'({0})");

  @Test
  void formulasOfEveryKindRenderInStrictKatex() throws Exception {
    assertEquals("\\frac{\\partial J}{\\partial y}/k^2 \\mathrm{over}\\ \\mathrm{each}\\ "
        + "\\mathrm{window}", fill("{g}/k² over each window"));
    assertEquals("\\textstyle\\sum_{\\mathrm{blocks}} \\frac{\\partial J}{\\partial y}",
        fill("Σ_blocks {g}"));
    assertEquals("\\frac{\\partial J}{\\partial y}\\odot y", fill("{g}⊙{y}"));
    assumeTrue(KatexUnderNode.available(), KatexUnderNode.MISSING);
    assertRendered(FORMULAS.stream().map(TexTest::fill).toList());
  }

  /** A formula filled in as Labels fills it: literal text through Tex.formula. */
  static String fill(String template) {
    StringBuilder out = new StringBuilder();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{(g|y|\\d+)}").matcher(template);
    int last = 0;
    while (m.find()) {
      out.append(Tex.formula(template.substring(last, m.start())));
      String p = m.group(1);
      out.append(p.equals("g") ? "\\frac{\\partial J}{\\partial y}" : p.equals("y") ? "y"
          : "x_{" + p + "}");
      last = m.end();
    }
    return out.append(Tex.formula(template.substring(last))).toString();
  }

  static void assertRendered(List<String> blocks) throws IOException, InterruptedException {
    List<String> html = KatexUnderNode.render(blocks);
    assertEquals(blocks.size(), html.size());
    for (int i = 0; i < blocks.size(); i++) {
      assertTrue(html.get(i).startsWith("<span class=\"katex\">"),
          "KaTeX (strict) rejects " + blocks.get(i) + "\n" + html.get(i));
    }
  }
}
