package dev.autodiff.core.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autodiff.core.Gradients;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DotTest {
  static final Pattern NODE = Pattern.compile("^  (n\\d+) \\[label=\"((?:[^\"\\\\]|\\\\.)*)\"(.*)];$");
  static final Pattern EDGE = Pattern.compile("^  (n\\d+) -> (n\\d+)( \\[label=\"\\d\"])?;$");

  @Test
  void everyNodeOnceWithOpShapeValueAndGradientAndEdgesBetweenDeclaredNodes() {
    Gradients g = ExplanationTest.seed000();
    String dot = Dot.of(g);
    assertTrue(dot.startsWith("digraph autodiff {\n") && dot.endsWith("}\n"), dot);
    Set<String> declared = new HashSet<>();
    int edges = 0;
    for (String line : dot.lines().toList()) {
      Matcher n = NODE.matcher(line);
      Matcher e = EDGE.matcher(line);
      if (n.matches()) {
        assertTrue(declared.add(n.group(1)), "declared twice: " + line);
      } else if (e.matches()) {
        assertTrue(declared.contains(e.group(1)) && declared.contains(e.group(2)), line);
        edges++;
      }
    }
    assertEquals(17, declared.size());
    assertEquals(18, edges); // 7 binary ops (2 edges each) and 4 unary ones
    assertTrue(dot.contains("  n4 [label=\"M | variable 2×3 | value [0.3 0.5 0.1; 0.2 0.7 0.8]"
        + " | grad [1.252 1.48 0.688; 1.254 1.785 1.451]\", style=filled"), dot);
    assertTrue(dot.contains("  n11 [label=\"y − v | sub 2×1 | value [-0.28; -0.31] | grad "
        + "[-0.28; -0.31]\", penwidth=2];"), dot);
  }

  @Test
  void recordCharactersAreEscaped() {
    assertEquals("a\\|b\\{c\\}\\<d\\>\\\"e\\\\", Dot.escape("a|b{c}<d>\"e\\"));
  }

  @Test
  void graphvizAcceptsTheTextWhenInstalled(@TempDir Path dir) throws IOException {
    String dot = Dot.of(ExplanationTest.seed000());
    if (!Dot.available()) {
      return; // the structure test above covers machines without graphviz
    }
    Path svg = dir.resolve("g.svg");
    Dot.render(dot, "svg", svg);
    String text = Files.readString(svg);
    assertTrue(text.contains("<svg"), text);
    assertTrue(text.contains("1.36725"), "the SVG shows J's value");
  }
}
