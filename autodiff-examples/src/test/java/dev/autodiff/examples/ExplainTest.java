package dev.autodiff.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.autodiff.core.Gradients;
import dev.autodiff.core.trace.Dot;
import dev.autodiff.core.trace.Explanation;
import dev.autodiff.core.trace.KatexUnderNode;
import dev.autodiff.core.trace.Ledger;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Golden tests: seed 000's trace as text and Markdown against the checked-in expected files. */
class ExplainTest {

  static String resource(String name) throws IOException {
    return Files.readString(Path.of("src/test/resources/explain", name));
  }

  static Explanation seed000() {
    WorkedExample.Network n = WorkedExample.build();
    return Explanation.of(n.tape().backward(n.J()));
  }

  @Test
  void seed000TextMatchesTheGoldenFile() throws IOException {
    StringBuilder out = new StringBuilder("Forward propagation\n");
    Explanation e = seed000();
    e.forwardText(out);
    out.append("\nBackward propagation\n");
    e.text(out);
    assertEquals(resource("seed000.txt"), out.toString());
  }

  @Test
  void seed000MarkdownMatchesTheGoldenFile() throws IOException {
    assertEquals(resource("seed000.md"), Explain.markdown(seed000()));
  }

  @Test
  void seed004IsDrawnAsAColumnNotAThousandsOfPixelsWideRow(@TempDir Path dir) throws IOException {
    assumeTrue(Dot.available(), "graphviz's dot is not installed (apt-get install graphviz)");
    SigmoidNetwork.Network s = SigmoidNetwork.build();
    Path svg = dir.resolve("seed004.svg");
    Dot.render(Dot.of(s.tape().backward(s.L())), "svg", svg);
    java.util.regex.Matcher m = java.util.regex.Pattern
        .compile("<svg width=\"(\\d+)pt\" height=\"(\\d+)pt\"").matcher(Files.readString(svg));
    assertTrue(m.find(), "no size in the SVG");
    // left to right it was 3417 pt (4556 px) wide; the widest line now is W1's gradient
    int width = Integer.parseInt(m.group(1));
    assertTrue(width <= 1100 && width < Integer.parseInt(m.group(2)), m.group());
  }

  @Test
  void seed004ShowsTheTwoFlowsIntoA1Summed() {
    SigmoidNetwork.Network s = SigmoidNetwork.build();
    Gradients g = s.tape().backward(s.L());
    StringBuilder out = new StringBuilder();
    Explanation.of(g).only(s.a1()).text(out);
    assertTrue(out.toString().contains(
        "2 flows into a1[1], summed: ∂L/∂z2[1]·W2[1,1] + ∂L/∂z2[2]·W2[1,2]"),
        out::toString);
    // the flows' sum is the first entry of ∂L/∂a1 that backward returned
    double flows = g.get(s.z2()).get(0, 0) * s.W2().value().get(0, 0)
        + g.get(s.z2()).get(0, 1) * s.W2().value().get(0, 1);
    assertEquals(flows, g.get(s.a1()).get(0, 0), 1e-15);
    // sigmoid and binary cross-entropy: ∂L/∂z3 = ŷ − y
    assertEquals(s.yHat().scalar() - 1, g.get(s.yHat().inputs().get(0)).get(0, 0), 1e-15);
  }

  @Test
  void seed004sTwoFlowsBackToA1AreTwoPathsOfTheLedger() {
    SigmoidNetwork.Network s = SigmoidNetwork.build();
    Gradients g = s.tape().backward(s.L());
    Ledger l = Explanation.of(g).paths(s.a1(), 0, 0);
    assertEquals(2, l.paths().size());
    // a1[1] feeds z2[1] through W2[1,1] and z2[2] through W2[1,2]
    for (int k = 0; k < 2; k++) {
      Ledger.Path p = l.paths().get(k);
      assertEquals(s.z2(), p.nodes().get(2));
      assertEquals(k, p.entries().get(2));
      assertEquals(s.W2().value().get(0, k), p.locals().get(0), 0);
      // the rest of each path is ∂L/∂z2[k]: the flow is W2[1,k]·∂L/∂z2[k]
      assertEquals(s.W2().value().get(0, k) * g.get(s.z2()).get(0, k), p.value().get(0, 0),
          1e-15);
    }
    assertEquals(g.get(s.a1()).get(0, 0), l.sum().get(0, 0), 1e-15);
    // the whole node: its paths run through ŷ's two uses, log ŷ and 1 − ŷ (which adds 0: y = 1)
    Ledger whole = Explanation.of(g).paths(s.a1());
    assertEquals(2, whole.paths().size());
    assertArrayEquals(g.get(s.a1()).data, whole.sum().data, 1e-15);
    assertArrayEquals(new double[3], whole.paths().get(1).value().data, 0);
  }

  @Test
  void seed004MarkdownRendersInStrictKatex() throws Exception {
    assumeTrue(KatexUnderNode.available(), KatexUnderNode.MISSING);
    SigmoidNetwork.Network s = SigmoidNetwork.build();
    String md = Explain.markdown(Explanation.of(s.tape().backward(s.L())));
    List<String> blocks = KatexUnderNode.blocks(md);
    assertEquals(19, blocks.size(), md);
    List<String> html = KatexUnderNode.render(blocks);
    for (int i = 0; i < blocks.size(); i++) {
      assertTrue(html.get(i).startsWith("<span class=\"katex\">"),
          "KaTeX (strict) rejects " + blocks.get(i) + "\n" + html.get(i));
    }
    // ŷ is y with a hat, log an operator: \log \hat{y}
    assertTrue(md.contains("\\frac{\\partial L}{\\partial \\left(\\log \\hat{y}\\right)}"), md);
  }

  @Test
  void theSubCommandPrintsBothNetworksAndWritesTheFiles(@TempDir Path dir) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Explain.run(dir, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("∂J/∂W = prod(∂J/∂s1, ∂s1/∂W) + prod(∂J/∂u, ∂u/∂W)"), out);
    assertTrue(out.contains("2 flows into a1[1], summed"), out);
    assertEquals(resource("seed000.md"), Files.readString(dir.resolve("seed000.md")));
    assertTrue(Files.readString(dir.resolve("seed000.dot")).startsWith("digraph autodiff {"));
    assertEquals(Dot.available(), Files.exists(dir.resolve("seed000.svg")));
    String backward = Files.readString(dir.resolve("seed000-backward.dot"));
    assertTrue(backward.contains("∂J/∂W | add 3×2 | value [1.176 0.938; 2.342 1.771; 1.756 1.228]"),
        backward);
    assertEquals(Dot.available(), Files.exists(dir.resolve("seed000-backward.svg")));
    assertEquals(Dot.available(), Files.exists(dir.resolve("seed004.svg")));
    // the pages to step through, and seed 004's two flows into a1[1] as the sum of two paths
    for (String page : new String[] {"seed000.html", "seed004.html"}) {
      String html = Files.readString(dir.resolve(page));
      assertTrue(html.startsWith("<!DOCTYPE html>") && html.contains("<script id=\"data\""), page);
    }
    assertTrue(out.contains("∂L/∂a1[1] = the sum over 2 paths to L"), out);
    assertTrue(out.contains("  sum = -0.118245 = ∂L/∂a1[1]"), out);
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Path plain = Files.writeString(dir.resolve("plain.txt"), "x");
      for (String file : new String[] {"seed000.md", "seed000.html", "seed000.dot"}) {
        assertEquals(Files.getPosixFilePermissions(plain),
            Files.getPosixFilePermissions(dir.resolve(file)), file + ": the usual permissions");
      }
    }
  }
}
