package dev.autodiff.core.trace;

import static dev.autodiff.core.trace.ExplanationTest.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.autodiff.core.Gradients;
import dev.autodiff.core.Node;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The page as a file: self-contained, written atomically, and holding the engine's numbers. */
class PageTest {
  private static final Pattern ADDRESS = Pattern.compile("https?://[^\\s\"'<>)]*");
  /** XML namespaces name, they are not fetched; KaTeX's address is in its licence comment. */
  private static final Set<String> NOT_FETCHED = Set.of("http://www.w3.org/2000/svg",
      "http://www.w3.org/1999/xlink", "http://www.w3.org/1998/Math/MathML", "https://katex.org");

  @Test
  void thePageNeedsNoOtherFile(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("seed000.html");
    Explanation.of(ExplanationTest.seed000()).graphviz(false).html(file);
    String html = Files.readString(file);
    assertTrue(html.startsWith("<!DOCTYPE html>"), html.substring(0, 100));
    assertFalse(html.contains("<link"), "no linked stylesheet");
    Matcher script = Pattern.compile("<script[^>]*>").matcher(html);
    while (script.find()) {
      assertFalse(script.group().contains("src="), script.group());
    }
    String outsideScripts = html.replaceAll("(?s)<script[^>]*>.*?</script>", "");
    assertFalse(Pattern.compile("<(img|iframe|object|embed|image)[^>]* (src|href)=")
        .matcher(outsideScripts).find(), "no image or frame from elsewhere");
    assertFalse(html.contains("@import"), "no imported stylesheet");
    Matcher url = Pattern.compile("url\\((?!data:)").matcher(html);
    assertFalse(url.find(), () -> "a url() that is not data: " + around(html, url.start()));
    Matcher a = ADDRESS.matcher(html);
    while (a.find()) {
      assertTrue(NOT_FETCHED.contains(a.group()), a.group());
    }
    // KaTeX's 20 fonts inlined, its licence kept
    assertEquals(20, html.split("data:font/woff2;base64,", -1).length - 1);
    assertTrue(html.contains("Copyright (c) 2013-2020 Khan Academy and other contributors"));
    assertFalse(html.contains("id=\"graph0\""), "graphviz(false): the page draws the graphs");
  }

  @Test
  void withGraphvizTheGraphsAreItsSvg(@TempDir Path dir) throws IOException {
    assumeTrue(Dot.available(), "Graphviz's dot is needed to draw the page's graphs with it "
        + "(apt-get install graphviz); without it the page draws them itself");
    Path file = dir.resolve("seed000.html");
    Explanation.of(ExplanationTest.seed000()).html(file);
    String html = Files.readString(file);
    // the forward graph and the recorded backward graph
    assertEquals(2, html.split("<g id=\"graph0\" class=\"graph\"", -1).length - 1);
    assertTrue(html.contains("<title>n4</title>"), "node M, as Dot names it");
    assertFalse(html.contains("<?xml"), "the SVG is an element of the page, not a file");
  }

  @Test
  void writtenWholeWithThePermissionsOfAnyNewFile(@TempDir Path dir) throws IOException {
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"),
        "file permissions are POSIX permissions");
    Path plain = Files.writeString(dir.resolve("plain.txt"), "x");
    Path file = dir.resolve("page.html");
    Files.writeString(file, "an older page");
    Gradients g = ExplanationTest.seed000();
    int size = g.root().tape().size();
    Explanation.of(g).graphviz(false).html(file, "Seed 000 <J & s>");
    assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(file));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(Set.of("plain.txt", "page.html"),
          Set.copyOf(files.map(p -> p.getFileName().toString()).toList()), "no temporary left");
    }
    String html = Files.readString(file);
    assertTrue(html.contains("<title>Seed 000 &lt;J &amp; s&gt;</title>"), "the title, escaped");
    assertEquals(size, g.root().tape().size(), "the backward graph is recorded on a copy");
  }

  @SuppressWarnings("unchecked")
  @Test
  void eachStepHoldsItsTermsAndTheirRunningSum() {
    Gradients g = ExplanationTest.seed000();
    Map<String, Object> data = Page.data(Explanation.of(g));
    List<Map<String, Object>> steps = (List<Map<String, Object>>) data.get("steps");
    assertEquals(15, steps.size(), "one step per node with a gradient, folded or not");
    Node M = node(g, "M");
    Map<String, Object> m = steps.stream().filter(s -> s.get("node").equals(M.index()))
        .findFirst().orElseThrow();
    List<Map<String, Object>> terms = (List<Map<String, Object>>) m.get("terms");
    assertEquals(2, terms.size());
    assertEquals("[0.3 0.5 0.1; 0.2 0.7 0.8]", terms.get(0).get("partialText"));
    assertEquals("[1.252 1.48 0.688; 1.254 1.785 1.451]", terms.get(1).get("partialText"));
    assertEquals(List.of("0.952", "0.98", "0.588", "1.054", "1.085", "0.651"),
        ((Map<String, Object>) terms.get(1).get("value")).get("entries"));
    assertEquals("\\text{prod}\\left(\\frac{\\partial J}{\\partial \\left(M h\\right)}, "
        + "\\frac{\\partial \\left(M h\\right)}{\\partial M}\\right)", terms.get(1).get("prod"));
    assertEquals(M.index(), data.get("ledgerStart"), "the first node with two terms");
    // the ledger of M: two paths, and of each of its 6 entries
    Map<String, Object> ledger = (Map<String, Object>) ((Map<String, Object>) data.get("ledgers"))
        .get(String.valueOf(M.index()));
    assertEquals(2, ((List<?>) ledger.get("paths")).size());
    assertEquals(6, ((List<?>) ledger.get("entries")).size());
    // the recorded backward: a gradient for each of the 4 variables, named as grad names them
    Map<String, Object> backward = (Map<String, Object>) data.get("backward");
    assertEquals(List.of("∂J/∂W", "∂J/∂b", "∂J/∂M", "∂J/∂c"),
        ((List<Map<String, Object>>) backward.get("gradients")).stream().map(b -> b.get("name"))
            .toList());
  }

  @SuppressWarnings("unchecked")
  @Test
  void aNodesFormulaIsItsOpsLabelOverItsInputs() {
    Gradients g = ExplanationTest.seed000();
    Map<String, Object> data = Page.data(Explanation.of(g));
    Map<String, String> exprs = new java.util.HashMap<>();
    for (Map<String, Object> n : (List<Map<String, Object>>) data.get("nodes")) {
      if (n.get("expr") != null) {
        exprs.put((String) n.get("name"), (String) n.get("expr"));
      }
    }
    assertEquals("\\left(M h\\right) + c", exprs.get("v"));
    assertEquals("\\text{ReLU}(u)", exprs.get("h"));
    assertEquals("\\tfrac{1}{2}\\|W\\|^2", exprs.get("s1"));
  }

  private static String around(String s, int at) {
    return s.substring(Math.max(0, at - 60), Math.min(s.length(), at + 60));
  }
}
