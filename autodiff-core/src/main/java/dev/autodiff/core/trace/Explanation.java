package dev.autodiff.core.trace;

import dev.autodiff.core.Gradients;
import dev.autodiff.core.Node;
import dev.autodiff.core.Primitive;
import dev.autodiff.core.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.ejml.data.DMatrixRMaj;

/**
 * A backward pass as the chain rule of the notes: ∂J/∂J = 1, then for every node n on a path to J,
 * ∂J/∂n = Σ over its consumers c of prod(∂J/∂c, ∂c/∂n), each term with the op's local derivative,
 * its shape and its value.
 *
 * <p>Steps come in reverse topological order, each as soon as its gradient is final (after its
 * last consumer in the reverse walk), which is the order the notes write them in. The values are
 * the ones {@code backward} returned; each term is that consumer's vector-Jacobian product for
 * this one input, so the terms of a step add up to its gradient.
 *
 * <pre>{@code
 * Gradients g = tape.backward(J);
 * Explanation.of(g).text(System.out);          // or markdown(..), or Dot.of(g)
 * Explanation.of(g).html(Path.of("J.html"));   // a page to step through in a browser
 * Explanation.of(g).paths(W).text(System.out); // ∂J/∂W as a sum over paths to J
 * }</pre>
 */
public final class Explanation {
  /** One addend prod(∂J/∂c, ∂c/∂n): consumer c, which of its inputs n is, and the value. */
  public record Term(Node consumer, int input, DMatrixRMaj value) {}

  /** ∂J/∂n and the terms it sums; no terms for J itself. */
  public record Step(Node node, DMatrixRMaj gradient, List<Term> terms) {}

  private final Gradients gradients;
  private final List<Step> steps;
  /** The step of each node with a gradient, by tape index. */
  private final Step[] byIndex;
  private final int maxEntries;
  private final Set<Node> only;
  private final boolean fold;
  private final boolean graphviz;
  private final Labels labels;

  private Explanation(Gradients gradients, List<Step> steps, int maxEntries, Set<Node> only,
      boolean fold, boolean graphviz) {
    this.gradients = gradients;
    this.steps = steps;
    this.maxEntries = maxEntries;
    this.only = only;
    this.fold = fold;
    this.graphviz = graphviz;
    this.labels = new Labels(gradients.root());
    this.byIndex = new Step[gradients.root().index() + 1];
    steps.forEach(s -> byIndex[s.node().index()] = s);
  }

  /** Explains the backward pass that produced g. */
  public static Explanation of(Gradients g) {
    return new Explanation(g, steps(g), 12, Set.of(), true, true);
  }

  /** Matrices with more entries than this are summarised as shape, norm and first entries. */
  public Explanation maxEntries(int n) {
    if (n < 1) {
      throw new IllegalArgumentException(String.format("maxEntries must be >= 1, got %s", n));
    }
    return new Explanation(gradients, steps, n, only, fold, graphviz);
  }

  /** Limits the rendered steps to these nodes (all of them when none are given). */
  public Explanation only(Node... nodes) {
    return new Explanation(gradients, steps, maxEntries, Set.copyOf(Arrays.asList(nodes)), fold,
        graphviz);
  }

  /**
   * Whether an unnamed node used exactly once is folded into its consumer's equation (the
   * default), so ∂J/∂M reads prod(∂J/∂v, ∂v/∂M) = ∂J/∂v·hᵀ as the notes write it rather than
   * going through a step for M·h. Named nodes always get their own step.
   */
  public Explanation fold(boolean on) {
    return new Explanation(gradients, steps, maxEntries, only, on, graphviz);
  }

  /**
   * Whether {@link #html} draws the graphs with Graphviz when {@code dot} is installed (the
   * default), or always with the page's own layout, the same on every machine.
   */
  public Explanation graphviz(boolean on) {
    return new Explanation(gradients, steps, maxEntries, only, fold, on);
  }

  /** Every step, in the order described above, regardless of {@link #only}. */
  public List<Step> steps() {
    return steps;
  }

  /**
   * Writes the forward and the backward pass as one HTML page to step through in a browser, with
   * buttons and the arrow keys: the graph with each node's value and gradient (drawn by Graphviz
   * when it is installed, else by the page), each op of the forward pass, then each step of the
   * backward pass in the engine's order with its terms prod(∂J/∂c, ∂c/∂n) and their running sum;
   * beside it the backward pass recorded as a graph ({@link dev.autodiff.core.Tape#grad}, on a copy
   * of the graph: this tape is left as it is), and below it every path from a chosen node to J
   * ({@link #paths}). Every node gets its steps, whatever {@link #only} and {@link #fold} say;
   * matrices beyond {@link #maxEntries(int)} are summarised. The page needs nothing else: its
   * script, styles, KaTeX and KaTeX's fonts are all inside it. Written atomically, with the
   * permissions of any new file.
   *
   * @throws IOException if the file cannot be written or Graphviz fails
   */
  public void html(Path file) throws IOException {
    html(file, "The backward pass of " + labels.of(gradients.root()) + ", step by step");
  }

  /** As {@link #html(Path)}, with the page's title. */
  public void html(Path file, String title) throws IOException {
    String page = Page.html(this, title, graphviz && Dot.available());
    AtomicFiles.writeString(file, page);
  }

  Gradients gradients() {
    return gradients;
  }

  int maxEntries() {
    return maxEntries;
  }

  /**
   * Every path from n to J through the graph, each with the product of the local derivatives
   * along it (the vector-Jacobian products from J down, shaped like n); they add up to ∂J/∂n.
   */
  public Ledger paths(Node n) {
    return finder().paths(n);
  }

  /**
   * Every path from one entry of n to J, row and col counted from 0, through the entries of the
   * nodes in between, each with its local derivatives as numbers and their product; they add up to
   * that entry of ∂J/∂n. Seed 004's two flows back to a₁ are {@code paths(a1, 0, 0)}.
   */
  public Ledger paths(Node n, int row, int col) {
    if (row < 0 || row >= n.rows() || col < 0 || col >= n.cols()) {
      throw new IllegalArgumentException(String.format(
          "paths: entry (%s, %s) is outside %s, which is %s×%s (rows and columns count from 0)",
          row, col, n.name(), n.rows(), n.cols()));
    }
    return finder().paths(n, row * n.cols() + col);
  }

  private Ledger.Finder finder() {
    return new Ledger.Finder(gradients, labels, maxEntries);
  }

  private static List<Step> steps(Gradients g) {
    Node root = g.root();
    List<Node> tape = root.tape().nodes();
    // consumers of each node that carry a gradient, in reverse tape order
    List<List<Term>> consumers = new ArrayList<>();
    for (int i = 0; i <= root.index(); i++) {
      consumers.add(new ArrayList<>());
    }
    for (int i = root.index(); i >= 0; i--) {
      Node c = tape.get(i);
      if (c.op() == null || !g.has(c)) {
        continue;
      }
      for (int k = 0; k < c.inputs().size(); k++) {
        Node x = c.inputs().get(k);
        if (g.has(x)) {
          consumers.get(x.index()).add(new Term(c, k, g.contribution(c, k)));
        }
      }
    }
    List<Step> out = new ArrayList<>();
    out.add(new Step(root, g.get(root), List.of()));
    // a node's gradient is final once its earliest consumer has been walked: emit it then
    boolean[] emitted = new boolean[root.index() + 1];
    emitted[root.index()] = true;
    for (int i = root.index(); i >= 0; i--) {
      Node c = tape.get(i);
      if (c.op() == null || !g.has(c)) {
        continue;
      }
      for (Node x : c.inputs()) {
        List<Term> terms = consumers.get(x.index());
        if (!emitted[x.index()] && g.has(x) && terms.get(terms.size() - 1).consumer() == c) {
          emitted[x.index()] = true;
          out.add(new Step(x, g.get(x), List.copyOf(terms)));
        }
      }
    }
    return List.copyOf(out);
  }

  private boolean shown(Step s) {
    return only.isEmpty() ? !folded(s.node()) : only.contains(s.node());
  }

  /** An unnamed op node with exactly one use, whose gradient is written inside that use. */
  private boolean folded(Node n) {
    Step s = byIndex[n.index()];
    return fold && !n.hasName() && n.op() != null && s.terms().size() == 1;
  }

  /** The consumer a term is shown against: through folded nodes to the first one kept. */
  private Node shownConsumer(Term t) {
    Node c = t.consumer();
    while (folded(c)) {
      c = byIndex[c.index()].terms().get(0).consumer();
    }
    return c;
  }

  /** ∂J/∂c as written in a formula: its own symbol, or for a folded c its one use's formula. */
  private String upstream(Node c, boolean tex) {
    if (!folded(c)) {
      return tex ? labels.dTex(c) : labels.d(c);
    }
    Term use = byIndex[c.index()].terms().get(0);
    String f = local(use, tex);
    if (use.consumer().op().gradientFormula(use.input()).equals("{g}")) {
      return f; // identity: already a single symbol or in parentheses
    }
    return tex ? "\\left(" + f + "\\right)" : "(" + f + ")";
  }

  /** The term's local step with names and its upstream filled in, summed over a broadcast. */
  private String local(Term t, boolean tex) {
    String f = labels.formula(t.consumer(), t.input(), upstream(t.consumer(), tex), tex);
    return reduced(t, f, tex);
  }

  /** prod(∂J/∂c, ∂c/∂n) of a term of step s, in LaTeX. */
  String prodTex(Step s, Term t) {
    Node c = shownConsumer(t);
    return "\\text{prod}\\left(" + labels.dTex(c) + ", " + labels.localTex(c, s.node())
        + "\\right)";
  }

  /** The term's local step in LaTeX, e.g. {@code \frac{\partial J}{\partial v} h^T}. */
  String formulaTex(Term t) {
    return local(t, true);
  }

  // ---- plain text ----

  /** The forward pass, one line per node: {@code v:2×1 = add(M·h:2×1, c:2×1) = [3.28; 5.31]}. */
  public void forwardText(Appendable out) {
    Node root = gradients.root();
    for (Node n : root.tape().nodes().subList(0, root.index() + 1)) {
      StringBuilder line = new StringBuilder(labels.of(n) + ":" + shape(n) + " = ");
      if (n.op() == null) {
        line.append(n.kind().name().toLowerCase()).append(' ');
      } else {
        line.append(n.op().name()).append('(');
        for (int k = 0; k < n.inputs().size(); k++) {
          Node x = n.inputs().get(k);
          line.append(k > 0 ? ", " : "").append(labels.of(x)).append(':').append(shape(x));
        }
        line.append(") = ");
      }
      line.append(Values.matrix(n.value(), maxEntries));
      write(out, line.append('\n'));
    }
  }

  /**
   * The backward pass, one block per node:
   * <pre>
   * ∂J/∂M = prod(∂J/∂(M·h), ∂(M·h)/∂M) + prod(∂J/∂s2, ∂s2/∂M)
   *       = ∂J/∂(M·h)·hᵀ + ∂J/∂s2·M
   *       = [0.952 0.98 0.588; …] + [0.3 0.5 0.1; …]
   *       = [1.252 1.48 0.688; 1.254 1.785 1.451]   (2×3)
   * </pre>
   */
  public void text(Appendable out) {
    for (Step s : steps) {
      if (!shown(s)) {
        continue;
      }
      String lhs = labels.d(s.node());
      String pad = " ".repeat(lhs.length());
      StringBuilder b = new StringBuilder(lhs);
      if (s.terms().isEmpty()) {
        b.append(" = ").append(Values.matrix(s.gradient(), maxEntries));
      } else {
        List<String> prods = new ArrayList<>();
        List<String> formulas = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (Term t : s.terms()) {
          Node c = shownConsumer(t);
          prods.add("prod(" + labels.d(c) + ", " + labels.local(c, s.node()) + ")");
          formulas.add(local(t, false));
          values.add(signed(values.isEmpty(), Values.matrix(t.value(), maxEntries)));
        }
        b.append(" = ").append(String.join(" + ", prods)).append('\n');
        b.append(pad).append(" = ").append(String.join(" + ", formulas)).append('\n');
        if (s.terms().size() > 1) {
          b.append(pad).append(" = ").append(String.join(" + ", values)).append('\n');
        }
        b.append(pad).append(" = ").append(Values.matrix(s.gradient(), maxEntries));
      }
      b.append("   (").append(shape(s.node())).append(")\n");
      flows(s, pad, b);
      write(out, b);
    }
  }

  /**
   * For a row vector feeding a small matmul, the first entry's flows: each output entry it fed
   * sends a flow back, and they add up (seed 004's "two flows back to a₁").
   */
  private void flows(Step s, String pad, StringBuilder b) {
    for (Term t : s.terms()) {
      Node c = t.consumer();
      if (!c.op().name().equals("matmul") || t.input() != 0 || s.node().rows() != 1
          || c.cols() < 2 || c.cols() > 4) {
        continue;
      }
      Node w = c.inputs().get(1);
      DMatrixRMaj g = gradients.get(c);
      String a = labels.operand(s.node());
      String up = upstream(c, false);
      StringBuilder sym = new StringBuilder();
      StringBuilder num = new StringBuilder();
      double total = 0;
      for (int k = 0; k < c.cols(); k++) {
        sym.append(k > 0 ? " + " : "").append(up).append("[").append(k + 1).append("]·")
            .append(labels.operand(w)).append("[1,").append(k + 1).append("]");
        num.append(k > 0 ? " + " : "").append(signed(k == 0, Values.number(g.get(0, k))))
            .append("·").append(signed(false, Values.number(w.value().get(0, k))));
        total += g.get(0, k) * w.value().get(0, k);
      }
      b.append(pad).append("   ").append(c.cols()).append(" flows into ").append(a)
          .append("[1], summed: ").append(sym).append('\n');
      b.append(pad).append("   = ").append(num).append(" = ").append(Values.number(total))
          .append('\n');
    }
  }

  // ---- Markdown with LaTeX ----

  /** The backward pass as Markdown, one {@code $$ … $$} block per node, in the notes' notation. */
  public void markdown(Appendable out) {
    for (Step s : steps) {
      if (!shown(s)) {
        continue;
      }
      StringBuilder b = new StringBuilder("$$").append(labels.dTex(s.node()));
      if (!s.terms().isEmpty()) {
        List<String> prods = new ArrayList<>();
        List<String> formulas = new ArrayList<>();
        for (Term t : s.terms()) {
          prods.add(prodTex(s, t));
          formulas.add(formulaTex(t));
        }
        b.append(" = ").append(String.join(" + ", prods));
        b.append(" = ").append(String.join(" + ", formulas));
      }
      b.append(" = ").append(Values.latex(s.gradient(), maxEntries)).append("$$\n\n");
      write(out, b);
    }
  }

  /** Wraps a broadcast operand's formula in the sum over the dimensions it was broadcast along. */
  private static String reduced(Term t, String formula, boolean tex) {
    Node c = t.consumer();
    Node x = c.inputs().get(t.input());
    if (!(c.op() instanceof Primitive p && p.broadcasts())
        || (x.rows() == c.rows() && x.cols() == c.cols())) {
      return formula;
    }
    String axis = x.rows() != c.rows() && x.cols() != c.cols() ? "all"
        : x.rows() != c.rows() ? "rows" : "cols";
    return tex ? "\\textstyle\\sum_{" + axis + "}\\left(" + formula + "\\right)"
        : "Σ_" + axis + "(" + formula + ")";
  }

  /** A negative number after an operator goes in parentheses: 0 + (-1.5), not 0 + -1.5. */
  private static String signed(boolean first, String value) {
    return first || !value.startsWith("-") ? value : "(" + value + ")";
  }

  static String shape(Node n) {
    return n.rows() + "×" + n.cols();
  }

  private static void write(Appendable out, CharSequence s) {
    try {
      out.append(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
