package dev.autodiff.core.trace;

import dev.autodiff.core.Node;
import dev.autodiff.core.Op;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Readable names: the user's name, else a short expression of named inputs ({@code M·h},
 * {@code y − v}), else the generated {@code n<index>}. Also their LaTeX forms and the local-gradient
 * formulas of {@link Op#gradientFormula} filled in with these names.
 */
final class Labels {
  private static final int MAX_LENGTH = 14;
  private static final Pattern ATOM = Pattern.compile("[\\p{L}\\p{N}_']+");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{(g|y|\\d+)}");

  private final Map<Node, String> names = new HashMap<>();
  /** The node differentiated: J in ∂J/∂n. */
  private final Node root;

  Labels(Node root) {
    this.root = root;
  }

  /** J: the node differentiated. */
  Node root() {
    return root;
  }

  String of(Node n) {
    return names.computeIfAbsent(n, Labels::compute);
  }

  private static String compute(Node n) {
    if (n.hasName() || n.op() == null) {
      return n.name();
    }
    String e = expression(n);
    return e != null && e.length() <= MAX_LENGTH ? e : n.name();
  }

  /** An expression of the node's inputs when they are all named leaves or named nodes. */
  private static String expression(Node n) {
    String[] in = new String[n.inputs().size()];
    for (int i = 0; i < in.length; i++) {
      Node x = n.inputs().get(i);
      if (!x.hasName()) {
        return null;
      }
      in[i] = x.name();
    }
    String label = n.op().label();
    if (label == null) {
      return in.length == 1 ? n.op().name().replaceFirst("\\(.*", "") + "(" + in[0] + ")" : null;
    }
    Matcher m = PLACEHOLDER.matcher(label);
    StringBuilder s = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(s, Matcher.quoteReplacement(in[Integer.parseInt(m.group(1))]));
    }
    return m.appendTail(s).toString();
  }

  /** The name where a formula uses it: in parentheses unless it is one symbol. */
  String operand(Node n) {
    String s = of(n);
    return ATOM.matcher(s).matches() ? s : "(" + s + ")";
  }

  /** ∂J/∂n, with the root's name for J. */
  String d(Node n) {
    return "∂" + operand(root) + "/∂" + operand(n);
  }

  /** ∂c/∂n. */
  String local(Node c, Node n) {
    return "∂" + operand(c) + "/∂" + operand(n);
  }

  /**
   * The op's local-gradient formula for input i of consumer c, with names filled in and
   * {@code upstream} standing for ∂J/∂c.
   */
  String formula(Node c, int i, String upstream, boolean tex) {
    return fill(c, c.op().gradientFormula(i), upstream, tex);
  }

  private String fill(Node c, String template, String upstream, boolean tex) {
    StringBuilder s = new StringBuilder();
    Matcher m = PLACEHOLDER.matcher(template);
    int last = 0;
    while (m.find()) {
      String literal = template.substring(last, m.start());
      s.append(tex ? tex(literal) : literal);
      String p = m.group(1);
      Node n = p.equals("g") || p.equals("y") ? c : c.inputs().get(Integer.parseInt(p));
      s.append(p.equals("g") ? upstream : (tex ? operandTex(n) : operand(n)));
      last = m.end();
    }
    String rest = template.substring(last);
    return s.append(tex ? tex(rest) : rest).toString();
  }

  /** The op applied to its inputs in LaTeX, by its label (M h + c), else as \exp\left(z\right). */
  String applicationTex(Node n) {
    String label = n.op().label();
    if (label != null) {
      return fill(n, label, "", true);
    }
    StringBuilder s = new StringBuilder(Tex.name(n.op().name())).append("\\left(");
    for (int k = 0; k < n.inputs().size(); k++) {
      s.append(k > 0 ? ", " : "").append(nameTex(n.inputs().get(k)));
    }
    return s.append("\\right)").toString();
  }

  /** LaTeX for a name: s1 → s_{1}, x_in → x_{\mathrm{in}}, W·x → W x (see {@link Tex}). */
  String nameTex(Node n) {
    return Tex.name(of(n));
  }

  String operandTex(Node n) {
    return ATOM.matcher(of(n)).matches() ? nameTex(n) : "\\left(" + nameTex(n) + "\\right)";
  }

  /** \frac{\partial J}{\partial n}. */
  String dTex(Node n) {
    return "\\frac{\\partial " + operandTex(root) + "}{\\partial " + operandTex(n) + "}";
  }

  String localTex(Node c, Node n) {
    return "\\frac{\\partial " + operandTex(c) + "}{\\partial " + operandTex(n) + "}";
  }

  static String tex(String unicode) {
    return Tex.formula(unicode);
  }
}
