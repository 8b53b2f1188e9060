package dev.autodiff.examples;

import dev.autodiff.core.Gradients;
import dev.autodiff.core.Node;
import dev.autodiff.core.io.AtomicFiles;
import dev.autodiff.core.trace.Dot;
import dev.autodiff.core.trace.Explanation;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code explain} sub-command: seed 000's network printed as the notes' backward propagation,
 * equation by equation with numbers, plus its Markdown, its graph and the graph of its backward
 * pass; then seed 004's 4-3-2-1 network, where two flows into a₁ are summed.
 */
final class Explain {
  private Explain() {}

  static void run(Path outDir, PrintStream out) {
    try {
      Files.createDirectories(outDir);
      WorkedExample.Network n = WorkedExample.build();
      Gradients g = n.tape().backward(n.J());
      Explanation e = Explanation.of(g);
      out.println("Seed 000: u = Wx + b, h = ReLU(u), v = Mh + c, L = ½‖y − v‖²_F, "
          + "s = ½‖W‖²_F + ½‖M‖²_F, J = L + s");
      out.println();
      out.println("Forward propagation");
      e.forwardText(out);
      out.println();
      out.println("Backward propagation");
      e.text(out);
      AtomicFiles.writeString(outDir.resolve("seed000.md"), markdown(e));
      page(e, outDir.resolve("seed000.html"), "Seed 000: J = L + s, step by step", out);
      graph(Dot.of(g), outDir.resolve("seed000"), out);
      // the backward pass recorded as a graph of its own: how each gradient is computed
      List<Node> grads = n.tape().grad(n.J(), n.W(), n.b(), n.M(), n.c());
      graph(Dot.of(grads.toArray(new Node[0])), outDir.resolve("seed000-backward"), out);

      SigmoidNetwork.Network s = SigmoidNetwork.build();
      Gradients gs = s.tape().backward(s.L());
      out.println();
      out.println("Seed 004: the 4-3-2-1 sigmoid network, z = a W + b, binary cross-entropy");
      out.println();
      Explanation.of(gs).text(out);
      out.println();
      Explanation.of(gs).paths(s.a1(), 0, 0).text(out);
      AtomicFiles.writeString(outDir.resolve("seed004.md"), markdown(Explanation.of(gs)));
      page(Explanation.of(gs), outDir.resolve("seed004.html"),
          "Seed 004: the 4-3-2-1 sigmoid network, step by step", out);
      graph(Dot.of(gs), outDir.resolve("seed004"), out);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  static String markdown(Explanation e) {
    StringBuilder md = new StringBuilder("## Backward Propagation\n\n");
    e.markdown(md);
    return md.toString();
  }

  /** The page to step through in a browser: works offline, from the file alone. */
  private static void page(Explanation e, Path file, String title, PrintStream out)
      throws IOException {
    e.html(file, title);
    out.println();
    out.println("wrote " + file + " (open it in a browser)");
  }

  private static void graph(String dot, Path base, PrintStream out) throws IOException {
    Path dotFile = base.resolveSibling(base.getFileName() + ".dot");
    AtomicFiles.writeString(dotFile, dot);
    out.println();
    out.print("wrote " + dotFile + ", " + base + ".md");
    if (Dot.available()) {
      Path svg = base.resolveSibling(base.getFileName() + ".svg");
      Dot.render(dot, "svg", svg);
      out.println(", " + svg);
    } else {
      out.println(" (install graphviz for an SVG: apt-get install graphviz)");
    }
  }
}
