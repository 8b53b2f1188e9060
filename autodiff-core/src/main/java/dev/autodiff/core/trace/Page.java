package dev.autodiff.core.trace;

import dev.autodiff.core.Gradients;
import dev.autodiff.core.Node;
import dev.autodiff.core.Tape;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The backward pass as one HTML file that works offline (see {@link Explanation#html}): the
 * template, its script and style are resources beside this class; KaTeX is inlined with its fonts
 * as data URLs; the numbers are the engine's, written into the page as JSON.
 */
final class Page {
  private static final Pattern SLOT =
      Pattern.compile("\\{\\{TITLE}}|/\\*([A-Z_]+)\\*/|<!--([A-Z_]+)-->");
  /** An @font-face's sources: the woff2 file, then other formats of the same font. */
  private static final Pattern FONT = Pattern.compile("src:url\\(fonts/([\\w-]+\\.woff2)\\) "
      + "format\\(\"woff2\"\\)(?:,url\\([^)]*\\) format\\(\"[a-z]+\"\\))*");

  private final Explanation explanation;
  private final Gradients g;
  private final Labels labels;
  private final int maxEntries;

  private Page(Explanation explanation) {
    this.explanation = explanation.fold(false); // every node of the graph gets its own step
    this.g = explanation.gradients();
    this.labels = new Labels(g.root());
    this.maxEntries = explanation.maxEntries();
  }

  /** The whole page, with the graphs drawn by Graphviz when {@code graphviz} is true. */
  static String html(Explanation explanation, String title, boolean graphviz) throws IOException {
    return new Page(explanation).html(title, graphviz);
  }

  private String html(String title, boolean graphviz) throws IOException {
    List<Node> recorded = recordedBackward();
    Map<String, Object> data = data(recorded);
    String forwardSvg = graphviz ? Dot.svg(Dot.of(g, maxEntries)) : "";
    String backwardSvg = graphviz && !recorded.isEmpty()
        ? Dot.svg(Dot.of(recorded.toArray(new Node[0]))) : "";
    Map<String, String> slots = Map.of(
        "KATEX_LICENSE", "/*! KaTeX 0.19.1 (https://katex.org), inlined unchanged with its fonts."
            + " Its licence:\n\n" + resource("katex/LICENSE") + "*/",
        "KATEX_CSS", katexCss(), "PAGE_CSS", resource("page/page.css"),
        "KATEX_JS", resource("katex/katex.min.js"), "PAGE_JS", resource("page/page.js"),
        "DATA", Json.of(data), "FORWARD_SVG", forwardSvg, "BACKWARD_SVG", backwardSvg);
    // one pass, so that nothing inserted is taken for a slot
    Matcher m = SLOT.matcher(resource("page/page.html"));
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1) != null ? m.group(1) : m.group(2);
      String value = name == null ? escapeHtml(title) : slots.get(name);
      if (value == null) {
        throw new IllegalStateException("page.html has a slot the page does not fill: "
            + m.group());
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    return m.appendTail(out).toString();
  }

  /** What the page shows, as maps and lists of strings and numbers. */
  static Map<String, Object> data(Explanation explanation) {
    Page page = new Page(explanation);
    return page.data(page.recordedBackward());
  }

  private Map<String, Object> data(List<Node> recorded) {
    Node root = g.root();
    List<Node> nodes = root.tape().nodes().subList(0, root.index() + 1);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("root", root.index());
    data.put("nodes", nodes.stream().map(n -> node(n, labels, true)).toList());
    data.put("steps", steps());
    data.put("ledgers", ledgers());
    data.put("ledgerStart", ledgerStart());
    if (recorded.isEmpty()) {
      data.put("backward", null);
    } else {
      Labels backwardLabels = new Labels(recorded.get(recorded.size() - 1));
      List<Map<String, Object>> gradients = new ArrayList<>();
      for (Node r : recorded) {
        gradients.add(Map.of("id", r.index(), "name", r.name()));
      }
      data.put("backward", Map.of("gradients", gradients, "nodes",
          Dot.drawn(recorded.toArray(new Node[0])).stream()
              .map(n -> node(n, backwardLabels, false)).toList()));
    }
    return data;
  }

  private Map<String, Object> node(Node n, Labels names, boolean withGradient) {
    Map<String, Object> m = new LinkedHashMap<>();
    boolean grad = withGradient && g.has(n);
    m.put("id", n.index());
    m.put("name", names.of(n));
    m.put("tex", names.nameTex(n));
    m.put("kind", n.kind().name().toLowerCase());
    m.put("kindOrOp", n.op() == null ? n.kind().name().toLowerCase() : n.op().name());
    m.put("shape", Explanation.shape(n));
    m.put("inputs", n.inputs().stream().map(Node::index).toList());
    m.put("expr", n.op() == null ? null : names.applicationTex(n));
    m.put("value", matrix(n.value()));
    m.put("valueText", Values.matrix(n.value(), maxEntries));
    m.put("grad", grad ? matrix(g.get(n)) : null);
    m.put("gradText", grad ? Values.matrix(g.get(n), maxEntries) : null);
    m.put("dTex", names.dTex(n));
    return m;
  }

  /** Each step of the backward pass, each term with the sum of the terms so far. */
  private List<Object> steps() {
    List<Object> out = new ArrayList<>();
    for (Explanation.Step s : explanation.steps()) {
      List<Object> terms = new ArrayList<>();
      DMatrixRMaj partial = new DMatrixRMaj(s.node().rows(), s.node().cols());
      for (Explanation.Term t : s.terms()) {
        CommonOps_DDRM.addEquals(partial, t.value());
        Map<String, Object> term = new LinkedHashMap<>();
        term.put("consumer", t.consumer().index());
        term.put("input", t.input());
        term.put("prod", explanation.prodTex(s, t));
        term.put("formula", explanation.formulaTex(t));
        term.put("value", matrix(t.value()));
        term.put("partial", matrix(partial));
        term.put("partialText", Values.matrix(partial, maxEntries));
        terms.add(term);
      }
      out.add(Map.of("node", s.node().index(), "terms", terms));
    }
    return out;
  }

  /** Every path to J of each node with a gradient, and of each entry of the small ones. */
  private Map<String, Object> ledgers() {
    Ledger.Finder finder = new Ledger.Finder(g, labels, maxEntries);
    Map<String, Object> out = new LinkedHashMap<>();
    for (Explanation.Step s : explanation.steps()) {
      Node n = s.node();
      Ledger whole = finder.paths(n);
      List<Object> paths = new ArrayList<>();
      for (Ledger.Path p : whole.paths()) {
        paths.add(Map.of("route", whole.route(p), "chain", chain(p), "value", matrix(p.value())));
      }
      Map<String, Object> l = new LinkedHashMap<>();
      l.put("paths", paths);
      l.put("sum", matrix(whole.sum()));
      l.put("complete", whole.complete());
      List<Object> entries = null;
      if (n.rows() * n.cols() <= maxEntries) {
        entries = new ArrayList<>();
        for (int q = 0; q < n.rows() * n.cols(); q++) {
          Ledger one = finder.paths(n, q);
          List<Object> flows = new ArrayList<>();
          for (Ledger.Path p : one.paths()) {
            flows.add(Map.of("route", one.route(p), "locals",
                p.locals().stream().map(Values::number).toList(),
                "value", Values.number(p.value().get(0, 0))));
          }
          entries.add(Map.of("label", labels.of(n) + Ledger.index(n, q), "paths", flows,
              "sum", Values.number(one.sum().get(0, 0)), "complete", one.complete()));
        }
      }
      l.put("entries", entries);
      out.put(String.valueOf(n.index()), l);
    }
    return out;
  }

  /** The first node whose gradient sums several terms: where the ledger starts. */
  private int ledgerStart() {
    for (Explanation.Step s : explanation.steps()) {
      if (s.terms().size() > 1) {
        return s.node().index();
      }
    }
    return g.root().index();
  }

  /** ∂J/∂c_k ∂c_k/∂c_{k−1} … ∂c_1/∂n along a path, from J down. */
  private String chain(Ledger.Path p) {
    List<Node> nodes = p.nodes();
    if (nodes.size() == 1) {
      return labels.dTex(nodes.get(0));
    }
    StringBuilder s = new StringBuilder();
    for (int k = nodes.size() - 1; k > 0; k--) {
      s.append(k < nodes.size() - 1 ? "\\," : "")
          .append(labels.localTex(nodes.get(k), nodes.get(k - 1)));
    }
    return s.toString();
  }

  private Map<String, Object> matrix(DMatrixRMaj m) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("rows", m.numRows);
    out.put("cols", m.numCols);
    if (m.getNumElements() > maxEntries) {
      out.put("summary", Values.matrix(m, maxEntries));
    } else {
      List<String> entries = new ArrayList<>();
      for (int i = 0; i < m.numRows; i++) {
        for (int j = 0; j < m.numCols; j++) {
          entries.add(Values.number(m.get(i, j)));
        }
      }
      out.put("entries", entries);
    }
    return out;
  }

  /**
   * The gradients of the variables as a recorded backward pass ({@link Tape#grad}), on a copy of
   * the graph, so that the caller's tape is left as it was.
   */
  private List<Node> recordedBackward() {
    Node root = g.root();
    List<Node> nodes = root.tape().nodes().subList(0, root.index() + 1);
    Tape copy = new Tape();
    Node[] made = new Node[nodes.size()];
    List<Node> wrt = new ArrayList<>();
    for (Node n : nodes) {
      Node m;
      if (n.op() == null) {
        m = switch (n.kind()) {
          case VARIABLE -> copy.variable(n.name(), n.value());
          default -> n.hasName() ? copy.constant(n.name(), n.value()) : copy.constant(n.value());
        };
        if (n.kind() == Node.Kind.VARIABLE && g.has(n)) {
          wrt.add(m);
        }
      } else {
        Node[] in = n.inputs().stream().map(x -> made[x.index()]).toArray(Node[]::new);
        m = copy.apply(n.op(), in);
        if (n.hasName()) {
          m.named(n.name());
        }
      }
      made[n.index()] = m;
    }
    if (wrt.isEmpty()) {
      return List.of();
    }
    Node y = made[root.index()];
    DMatrixRMaj seed = g.get(root);
    if (y.rows() == 1 && y.cols() == 1 && seed.get(0, 0) == 1) {
      return copy.grad(y, wrt.toArray(new Node[0]));
    }
    return copy.grad(y, copy.constant("∂" + y.name() + "/∂" + y.name(), seed), wrt);
  }

  /** KaTeX's stylesheet with each font's woff2 inlined and its other formats dropped. */
  private static String katexCss() throws IOException {
    Matcher m = FONT.matcher(resource("katex/katex.min.css"));
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String font = Base64.getEncoder().encodeToString(bytes("katex/fonts/" + m.group(1)));
      m.appendReplacement(out, Matcher.quoteReplacement(
          "src:url(data:font/woff2;base64," + font + ") format(\"woff2\")"));
    }
    return m.appendTail(out).toString();
  }

  private static String resource(String name) throws IOException {
    return new String(bytes(name), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String name) throws IOException {
    try (InputStream in = Page.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("the page's resource " + name + " is missing from the jar of "
            + Page.class.getName());
      }
      return in.readAllBytes();
    }
  }

  static String escapeHtml(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
