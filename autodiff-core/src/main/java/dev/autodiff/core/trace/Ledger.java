package dev.autodiff.core.trace;

import dev.autodiff.core.Gradients;
import dev.autodiff.core.Node;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * A gradient as a sum over paths: every path from a node n to J, each with the product of the
 * local derivatives along it, and their sum, which is ∂J/∂n.
 *
 * <p>For a whole node ({@link Explanation#paths(Node)}) a path passes through nodes, and its
 * product is a matrix shaped like n: the consumers' vector-Jacobian products applied from J down,
 * prod(prod(∂J/∂c₂, ∂c₂/∂c₁), ∂c₁/∂n). For one entry ({@link Explanation#paths(Node, int, int)})
 * a path passes through entries, each step's local derivative is a number, and the product is
 * their product: seed 004's "two flows back to a₁" are the two paths from a1[1] through z2[1] and
 * z2[2]. An entry's path through a local derivative of exactly 0 adds nothing and is left out.
 *
 * <p>Paths are found from J backwards, one vector-Jacobian product per step, so this is for
 * graphs of teaching size: past {@value #MAX_PATHS} paths the ledger stops and says so.
 */
public final class Ledger {
  /** The most paths a ledger lists. */
  public static final int MAX_PATHS = 64;
  /** Steps of the search before a ledger gives up on finding every path. */
  private static final int MAX_STEPS = 200_000;

  /**
   * One path n → c₁ → … → J.
   *
   * @param nodes from n to J
   * @param inputs which input of {@code nodes[k + 1]} {@code nodes[k]} is, one fewer than nodes
   * @param entries for an entry's path, the entry of each node (row-major index); else empty
   * @param locals for an entry's path, the local derivative of each step, ∂nodes[k + 1][entries[k
   *     + 1]] / ∂nodes[k][entries[k]]; else empty
   * @param value the product of the local derivatives along the path: shaped like n, or 1×1
   */
  public record Path(List<Node> nodes, List<Integer> inputs, List<Integer> entries,
      List<Double> locals, DMatrixRMaj value) {}

  private final Node node;
  private final int entry;
  private final List<Path> paths;
  private final DMatrixRMaj gradient;
  private final boolean complete;
  private final Labels labels;
  private final int maxEntries;

  private Ledger(Node node, int entry, List<Path> paths, DMatrixRMaj gradient, boolean complete,
      Labels labels, int maxEntries) {
    this.node = node;
    this.entry = entry;
    this.paths = paths;
    this.gradient = gradient;
    this.complete = complete;
    this.labels = labels;
    this.maxEntries = maxEntries;
  }

  /** The node whose gradient this is. */
  public Node node() {
    return node;
  }

  /** The entry (row-major index) for an entry's ledger; -1 for a whole node's. */
  public int entry() {
    return entry;
  }

  /** The paths, ordered by the nodes they pass through from n on. */
  public List<Path> paths() {
    return paths;
  }

  /** The paths' products added up: the gradient, when the ledger is complete. */
  public DMatrixRMaj sum() {
    DMatrixRMaj s = new DMatrixRMaj(gradient.numRows, gradient.numCols);
    paths.forEach(p -> CommonOps_DDRM.addEquals(s, p.value()));
    return s;
  }

  /** ∂J/∂n, or its entry as a 1×1, as backward returned it. */
  public DMatrixRMaj gradient() {
    return gradient;
  }

  /** False when there were more paths than {@link #MAX_PATHS}: then the sum misses some. */
  public boolean complete() {
    return complete;
  }

  /**
   * The ledger as text, one path a line with its product, then the sum:
   * <pre>
   * ∂J/∂M = the sum over 2 paths to J of the product of the local derivatives along each:
   *   M → M·h → v → y − v → L → J   [0.952 0.98 0.588; 1.054 1.085 0.651]
   *   M → s2 → s → J                [0.3 0.5 0.1; 0.2 0.7 0.8]
   *   sum                           [1.252 1.48 0.688; 1.254 1.785 1.451] = ∂J/∂M
   * </pre>
   */
  public void text(Appendable out) {
    String target = entry < 0 ? labels.d(node) : labels.d(node) + index(node, entry);
    StringBuilder b = new StringBuilder(target).append(" = the sum over ").append(paths.size())
        .append(paths.size() == 1 ? " path" : " paths").append(" to ")
        .append(labels.of(labels.root())).append(" of the product of the local derivatives along ")
        .append(paths.size() == 1 ? "it" : "each").append(complete ? ":" : " (not all listed):")
        .append('\n');
    List<String> routes = new ArrayList<>();
    for (Path p : paths) {
      routes.add(route(p));
    }
    int width = Math.max(3, routes.stream().mapToInt(String::length).max().orElse(0));
    for (int k = 0; k < paths.size(); k++) {
      Path p = paths.get(k);
      String value = Values.matrix(p.value(), maxEntries);
      if (entry < 0) {
        b.append("  ").append(pad(routes.get(k), width)).append("   ").append(value);
      } else {
        List<String> factors = p.locals().stream().map(d -> signed(Values.number(d))).toList();
        b.append("  ").append(routes.get(k)).append("\n      = ")
            .append(factors.isEmpty() ? "" : String.join(" · ", factors) + " = ").append(value);
      }
      b.append('\n');
    }
    String sum = Values.matrix(sum(), maxEntries);
    b.append("  ").append(entry < 0 ? pad("sum", width) + "   " : "sum = ").append(sum)
        .append(complete ? " = " + target : " (listed paths only; " + target + " = "
            + Values.matrix(gradient, maxEntries) + ")");
    if (entry >= 0) {
      b.append("\n  (a path through a local derivative of 0 adds nothing and is not listed)");
    }
    try {
      out.append(b).append('\n');
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code M → M·h → v}, or with entries {@code a1[1] → (a1·W2)[1] → z2[1]}. */
  String route(Path p) {
    List<String> steps = new ArrayList<>();
    for (int k = 0; k < p.nodes().size(); k++) {
      Node n = p.nodes().get(k);
      steps.add(p.entries().isEmpty() ? labels.of(n)
          : (n.rows() * n.cols() == 1 ? labels.of(n) : labels.operand(n))
              + index(n, p.entries().get(k)));
    }
    return String.join(" → ", steps);
  }

  /** An entry as the notes index it, from 1: a1[2] for a vector, W[2,1] for a matrix. */
  static String index(Node n, int entry) {
    if (n.rows() * n.cols() == 1) {
      return "";
    }
    int r = entry / n.cols() + 1;
    int c = entry % n.cols() + 1;
    return n.rows() == 1 ? "[" + c + "]" : n.cols() == 1 ? "[" + r + "]" : "[" + r + "," + c + "]";
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(Math.max(0, width - s.length()));
  }

  private static String signed(String v) {
    return v.startsWith("-") ? "(" + v + ")" : v;
  }

  /**
   * Finds the paths of a backward pass's nodes, remembering the local derivatives of entries it
   * has asked for, so that the ledgers of many nodes cost little more than one.
   */
  static final class Finder {
    private final Gradients g;
    private final Labels labels;
    private final int maxEntries;
    /** Row p of consumer c's Jacobian for input k, ∂c[p]/∂x, by (c, k, p). */
    private final Map<List<Integer>, DMatrixRMaj> rows = new HashMap<>();
    private int steps;

    Finder(Gradients g, Labels labels, int maxEntries) {
      this.g = g;
      this.labels = labels;
      this.maxEntries = maxEntries;
    }

    /** Every path from n to J through nodes. */
    Ledger paths(Node n) {
      boolean[] reaches = reaches(n);
      List<Path> found = new ArrayList<>();
      steps = 0;
      Node root = g.root();
      boolean complete = true;
      if (n == root) { // the path of no steps: J itself, its product the seed
        found.add(path(n, List.of(), null, g.get(root)));
      } else {
        complete = walk(n, reaches, root, g.get(root), new ArrayList<>(), found);
      }
      return new Ledger(n, -1, sorted(found), g.get(n), complete, labels, maxEntries);
    }

    /** Every path from entry q of n (row-major) to J through entries. */
    Ledger paths(Node n, int q) {
      boolean[] reaches = reaches(n);
      List<Path> found = new ArrayList<>();
      steps = 0;
      Node root = g.root();
      DMatrixRMaj seed = g.get(root);
      boolean complete = true;
      if (n == root) {
        found.add(path(n, List.of(), q, new DMatrixRMaj(1, 1, true, seed.data[q])));
      }
      for (int p = 0; p < seed.getNumElements() && complete && n != root; p++) {
        if (seed.data[p] != 0) {
          complete = walk(n, q, reaches, root, p, seed.data[p], new ArrayList<>(), found);
        }
      }
      DMatrixRMaj gradient = new DMatrixRMaj(1, 1, true, g.get(n).data[q]);
      return new Ledger(n, q, sorted(found), gradient, complete, labels, maxEntries);
    }

    /** Which nodes between n and J have n on a path into them. */
    private boolean[] reaches(Node n) {
      Node root = g.root();
      if (!g.has(n)) {
        throw new IllegalArgumentException("paths: " + n.name() + " has no gradient in this "
            + "backward pass, so it has no path to " + root.name());
      }
      boolean[] reaches = new boolean[root.index() + 1];
      List<Node> tape = root.tape().nodes();
      reaches[n.index()] = true;
      for (int i = n.index() + 1; i <= root.index(); i++) {
        for (Node x : tape.get(i).inputs()) {
          reaches[i] |= reaches[x.index()];
        }
      }
      return reaches;
    }

    /** From c, whose path to J is {@code above} (c's consumer last), with ∂J/∂c along it = u. */
    private boolean walk(Node n, boolean[] reaches, Node c, DMatrixRMaj u, List<Object[]> above,
        List<Path> found) {
      for (int k = 0; k < c.arity(); k++) {
        Node x = c.input(k);
        if (!reaches[x.index()]) {
          continue;
        }
        if (found.size() > MAX_PATHS || ++steps > MAX_STEPS) {
          return false;
        }
        DMatrixRMaj v = vjp(c, k, u);
        above.add(new Object[] {c, k});
        if (x == n) {
          found.add(path(n, above, null, v));
        } else if (!walk(n, reaches, x, v, above, found)) {
          return false;
        }
        above.remove(above.size() - 1);
      }
      return found.size() <= MAX_PATHS;
    }

    /** From entry p of c, with the product of the local derivatives from J down to it = s. */
    private boolean walk(Node n, int q, boolean[] reaches, Node c, int p, double s,
        List<Object[]> above, List<Path> found) {
      for (int k = 0; k < c.arity(); k++) {
        Node x = c.input(k);
        if (!reaches[x.index()]) {
          continue;
        }
        DMatrixRMaj row = row(c, k, p);
        for (int e = 0; e < row.getNumElements(); e++) {
          double d = row.data[e];
          if (d == 0 || x == n && e != q) {
            continue;
          }
          if (found.size() > MAX_PATHS || ++steps > MAX_STEPS) {
            return false;
          }
          above.add(new Object[] {c, k, p, d});
          if (x == n) {
            found.add(path(n, above, e, new DMatrixRMaj(1, 1, true, s * d)));
          } else if (!walk(n, q, reaches, x, e, s * d, above, found)) {
            return false;
          }
          above.remove(above.size() - 1);
        }
      }
      return found.size() <= MAX_PATHS;
    }

    /** The path from n up through {@code above} (J's step first, each with its local) to J. */
    private Path path(Node n, List<Object[]> above, Integer entry, DMatrixRMaj value) {
      List<Node> nodes = new ArrayList<>(List.of(n));
      List<Integer> inputs = new ArrayList<>();
      List<Integer> entries = new ArrayList<>();
      List<Double> locals = new ArrayList<>();
      if (entry != null) {
        entries.add(entry);
      }
      for (int k = above.size() - 1; k >= 0; k--) {
        Object[] step = above.get(k);
        nodes.add((Node) step[0]);
        inputs.add((Integer) step[1]);
        if (entry != null) {
          entries.add((Integer) step[2]);
          locals.add((Double) step[3]);
        }
      }
      return new Path(List.copyOf(nodes), List.copyOf(inputs), List.copyOf(entries),
          List.copyOf(locals), value);
    }

    /** Consumer c's vector-Jacobian product for input k with ∂J/∂c = u, whatever c's own is. */
    private static DMatrixRMaj vjp(Node c, int k, DMatrixRMaj u) {
      return c.tape().backward(c, u).contribution(c, k);
    }

    /** ∂c[p]/∂x for every entry of c's input k: the product with the p-th unit matrix. */
    private DMatrixRMaj row(Node c, int k, int p) {
      return rows.computeIfAbsent(List.of(c.index(), k, p), key -> {
        DMatrixRMaj unit = new DMatrixRMaj(c.rows(), c.cols());
        unit.data[p] = 1;
        return vjp(c, k, unit);
      });
    }

    /** By the nodes (and entries) a path passes through, from n on. */
    private static List<Path> sorted(List<Path> paths) {
      Comparator<Path> order = (a, b) -> {
        for (int k = 1; k < Math.min(a.nodes().size(), b.nodes().size()); k++) {
          int c = Integer.compare(a.nodes().get(k).index(), b.nodes().get(k).index());
          c = c != 0 ? c : Integer.compare(a.inputs().get(k - 1), b.inputs().get(k - 1));
          if (c == 0 && !a.entries().isEmpty()) {
            c = Integer.compare(a.entries().get(k), b.entries().get(k));
          }
          if (c != 0) {
            return c;
          }
        }
        return Integer.compare(a.nodes().size(), b.nodes().size());
      };
      List<Path> sorted = new ArrayList<>(paths.subList(0, Math.min(paths.size(), MAX_PATHS)));
      sorted.sort(order);
      return List.copyOf(sorted);
    }
  }
}
