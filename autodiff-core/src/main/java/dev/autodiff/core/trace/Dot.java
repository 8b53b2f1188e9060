package dev.autodiff.core.trace;

import dev.autodiff.core.Gradients;
import dev.autodiff.core.Node;
import dev.autodiff.core.io.AtomicFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The graph in Graphviz DOT: one box per node with its name, op, shape, value and gradient (as
 * micrograd's draw_dot), an edge from each input to its consumer. Variables are blue, constants
 * grey, nodes on a path to J outlined. The text needs nothing; {@link #render} runs Graphviz's
 * {@code dot} when it is installed ({@code apt-get install graphviz}).
 */
public final class Dot {
  private Dot() {}

  /** The graph of every node up to g's root, with the gradients of g. */
  public static String of(Gradients g) {
    return of(g, 12);
  }

  /** As {@link #of(Gradients)}, summarising matrices with more than maxEntries entries. */
  public static String of(Gradients g, int maxEntries) {
    Node root = g.root();
    return draw(root.tape().nodes().subList(0, root.index() + 1), new Labels(root), g,
        maxEntries);
  }

  /**
   * The graph the given nodes are computed from, values only: e.g. a backward pass recorded by
   * {@link dev.autodiff.core.Tape#grad}, "how ∂J/∂W is computed", drawn like any other graph.
   */
  public static String of(Node... nodes) {
    return draw(drawn(nodes), new Labels(nodes[nodes.length - 1]), null, 12);
  }

  /** The given nodes and every node they are computed from, in tape order. */
  static List<Node> drawn(Node... nodes) {
    if (nodes.length == 0) {
      throw new IllegalArgumentException("Dot.of: no nodes to draw");
    }
    List<Node> all = nodes[0].tape().nodes();
    boolean[] drawn = new boolean[all.size()];
    for (Node n : nodes) {
      drawn[n.index()] = true;
    }
    for (int i = drawn.length - 1; i >= 0; i--) { // inputs come before their consumers
      if (drawn[i]) {
        all.get(i).inputs().forEach(x -> drawn[x.index()] = true);
      }
    }
    List<Node> shown = new ArrayList<>();
    for (int i = 0; i < drawn.length; i++) {
      if (drawn[i]) {
        shown.add(all.get(i));
      }
    }
    return shown;
  }

  private static String draw(List<Node> nodes, Labels labels, Gradients g, int maxEntries) {
    // top to bottom, inputs in their order: a deep graph is a column to scroll down rather than
    // a row thousands of pixels wide
    StringBuilder s = new StringBuilder("digraph autodiff {\n")
        .append("  rankdir=TB; ordering=in; nodesep=0.2; ranksep=0.25;\n")
        .append("  node [shape=record, fontname=\"Helvetica\", fontsize=10];\n");
    for (Node n : nodes) {
      boolean grad = g != null && g.has(n);
      String kind = n.op() == null ? n.kind().name().toLowerCase() : n.op().name();
      // fields in braces stack vertically under rankdir=TB: a box as narrow as its longest line
      String label = "{" + escape(labels.of(n)) + " | " + escape(kind) + " "
          + Explanation.shape(n) + " | value " + escape(Values.matrix(n.value(), maxEntries))
          + (grad ? " | grad " + escape(Values.matrix(g.get(n), maxEntries)) : "") + "}";
      String style = switch (n.kind()) {
        case VARIABLE -> ", style=filled, fillcolor=\"#dbeafe\"";
        case CONSTANT -> ", style=filled, fillcolor=\"#eeeeee\"";
        case OP -> "";
      };
      s.append("  n").append(n.index()).append(" [label=\"").append(label).append('"')
          .append(style).append(grad ? ", penwidth=2" : "").append("];\n");
    }
    for (Node n : nodes) {
      for (int k = 0; k < n.inputs().size(); k++) {
        s.append("  n").append(n.inputs().get(k).index()).append(" -> n").append(n.index())
            .append(n.inputs().size() > 1 ? " [label=\"" + k + "\"]" : "").append(";\n");
      }
    }
    return s.append("}\n").toString();
  }

  /** Escapes the characters that structure a record label. */
  static String escape(String s) {
    return s.replaceAll("([\\\\{}|<>\"])", "\\\\$1");
  }

  /** True when Graphviz's {@code dot} can be run. */
  public static boolean available() {
    try {
      Process p = new ProcessBuilder("dot", "-V").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Renders DOT text to a file with {@code dot -T<format>} (svg, png, …), written atomically.
   *
   * @throws IOException if dot is missing or rejects the text (its message included)
   */
  public static void render(String dot, String format, Path file) throws IOException {
    AtomicFiles.create(file, tmp -> {
      Process p = new ProcessBuilder("dot", "-T" + format, "-o", tmp.toString())
          .redirectErrorStream(true).start();
      try (OutputStream in = p.getOutputStream()) {
        in.write(dot.getBytes(StandardCharsets.UTF_8));
      }
      String message = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      try {
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
          throw new IOException("dot -T" + format + " failed: " + message.strip());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while running dot", e);
      }
    });
  }

  /** DOT text drawn by Graphviz as an SVG element, without the XML prolog of a file. */
  static String svg(String dot) throws IOException {
    Path tmp = Files.createTempDirectory("dot").resolve("graph.svg");
    try {
      render(dot, "svg", tmp);
      String svg = Files.readString(tmp, StandardCharsets.UTF_8);
      return svg.substring(svg.indexOf("<svg"));
    } finally {
      Files.deleteIfExists(tmp);
      Files.deleteIfExists(tmp.getParent());
    }
  }
}
