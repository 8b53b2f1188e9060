package dev.autodiff.core.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.autodiff.core.Gradients;
import dev.autodiff.core.Node;
import dev.autodiff.core.Tape;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
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
    assertTrue(dot.contains("  n4 [label=\"{M | variable 2×3 | value [0.3 0.5 0.1; 0.2 0.7 0.8]"
        + " | grad [1.252 1.48 0.688; 1.254 1.785 1.451]}\", style=filled"), dot);
    assertTrue(dot.contains("  n11 [label=\"{y − v | sub 2×1 | value [-0.28; -0.31] | grad "
        + "[-0.28; -0.31]}\", penwidth=2];"), dot);
  }

  /** Seed 000's ∂J/∂W, ∂J/∂b, ∂J/∂M and ∂J/∂c as a recorded backward pass. */
  static List<Node> seed000Backward() {
    Gradients g = ExplanationTest.seed000();
    Node J = g.root();
    Tape tape = J.tape();
    return tape.grad(J, ExplanationTest.node(g, "W"), ExplanationTest.node(g, "b"),
        ExplanationTest.node(g, "M"), ExplanationTest.node(g, "c"));
  }

  @Test
  void theBackwardGraphOfSeed000IsDrawnWithItsGradientsNamed() {
    List<Node> grads = seed000Backward();
    String dot = Dot.of(grads.toArray(new Node[0]));
    Set<String> declared = new HashSet<>();
    for (String line : dot.lines().toList()) {
      Matcher n = NODE.matcher(line);
      Matcher e = EDGE.matcher(line);
      if (n.matches()) {
        assertTrue(declared.add(n.group(1)), "declared twice: " + line);
      } else if (e.matches()) {
        assertTrue(declared.contains(e.group(1)) && declared.contains(e.group(2)), line);
      }
    }
    // ∂J/∂W = (W·x)'s gradient·xᵀ + W: the forward nodes it reads, and the backward's own
    for (String label : new String[] {"∂J/∂W | add 3×2 | value [1.176 0.938; 2.342 1.771;"
        + " 1.756 1.228]", "∂J/∂M | add 2×3", "| maskedBy 3×1", "| matmulTransB 3×2",
        "h | relu 3×1 | value [3.4; 3.5; 2.1]"}) {
      assertTrue(dot.contains(label), label + " in\n" + dot);
    }
    assertTrue(declared.size() > 17, "more than the forward graph's 17 nodes: " + declared);
  }

  @Test
  void graphvizDrawsTheBackwardGraph(@TempDir Path dir) throws IOException {
    assumeTrue(Dot.available(), "graphviz's dot is not installed (apt-get install graphviz)");
    Path svg = dir.resolve("backward.svg");
    Dot.render(Dot.of(seed000Backward().toArray(new Node[0])), "svg", svg);
    String text = Files.readString(svg);
    assertTrue(text.contains("<svg") && text.contains("∂J/∂W"), text);
    assertTrue(text.contains("1.176"), "the SVG shows ∂J/∂W's value");
  }

  @Test
  void recordCharactersAreEscaped() {
    assertEquals("a\\|b\\{c\\}\\<d\\>\\\"e\\\\", Dot.escape("a|b{c}<d>\"e\\"));
  }

  @Test
  void graphvizAcceptsTheTextWhenInstalled(@TempDir Path dir) throws IOException {
    String dot = Dot.of(ExplanationTest.seed000());
    assumeTrue(Dot.available(), "graphviz's dot is not installed (apt-get install graphviz):"
        + " the structure tests cover the text");
    Path svg = dir.resolve("g.svg");
    Dot.render(dot, "svg", svg);
    String text = Files.readString(svg);
    assertTrue(text.contains("<svg"), text);
    assertTrue(text.contains("1.36725"), "the SVG shows J's value");
  }

  @Test
  void theDrawingHasThePermissionsOfAnyNewFileAndNoTemporaryIsLeft(@TempDir Path dir)
      throws IOException {
    assumeTrue(Dot.available(), "graphviz's dot is not installed (apt-get install graphviz)");
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"),
        "file permissions are POSIX permissions");
    Path plain = Files.writeString(dir.resolve("plain.txt"), "x");
    Path svg = dir.resolve("g.svg");
    Dot.render(Dot.of(ExplanationTest.seed000()), "svg", svg);
    assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(svg));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(2, files.count(), "no temporary file left");
    }
  }
}
