package dev.autodiff.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ejml.data.DMatrixRMaj;

/**
 * Turns a recorded graph into a {@link Plan}: copies the part of it the outputs need onto a tape of
 * its own, records the backward there as nodes, then rewrites the whole as instructions on fixed
 * buffers. Every speed decision lives here, none in an op:
 *
 * <ul>
 *   <li>write or add, per edge: a product whose result is added to another term takes that term as
 *       BLAS's β·C, so a penalty's s·W is folded into the weight gradient's product;
 *   <li>a bias add followed by relu, σ or tanh runs as one pass;
 *   <li>buffers are reused once their values are dead, and an elementwise result is written over
 *       an operand of its shape that dies with it.
 * </ul>
 */
final class Planner {
  /** Ops whose kernel may write its output over an input of the output's shape. */
  private static final Set<Class<?>> ELEMENTWISE = Set.of(Add.class, Sub.class, Mul.class,
      Div.class, DivNoNan.class, Maximum.class, Minimum.class, Neg.class, Scale.class, Shift.class,
      Square.class, Relu.class, Step.class, MaskedBy.class, Sigmoid.class, Tanh.class, Exp.class,
      Log.class, Sqrt.class, Abs.class, Sign.class, Pow.class, Clamp.class, LeakyRelu.class,
      Elu.class, Softplus.class, ErrorFunction.class, Gelu.class, GeluTanh.class, Sin.class,
      Cos.class, Reciprocal.class, Rsqrt.class, Dropout.class);

  private final Tape tape = new Tape();
  /** The plan's node for each user node copied. */
  final Map<Node, Node> copies = new IdentityHashMap<>();
  /** Nodes below this id are the forward pass; the rest are the backward's. */
  final int forwardEnd;
  final Node root;
  final Node[] gradients;
  /** Every node of the plan's tape. */
  private final Node[] nodes;
  private final boolean[] output;

  Planner(Node J, Node[] wrt, Node[] keep) {
    copy(J, wrt, keep);
    forwardEnd = tape.size();
    root = copies.get(J);
    // a wrt J does not depend on was not copied: it has no gradient, as in a backward
    Node[] w = Arrays.stream(wrt).map(copies::get).filter(c -> c != null).toArray(Node[]::new);
    gradients = new Node[wrt.length];
    // a wrt that gets no contribution (through a step, say) has no gradient either
    List<Node> g = w.length == 0 ? List.of() : tape.grad(root, null, List.of(w), false);
    for (int i = 0, k = 0; i < wrt.length; i++) {
      gradients[i] = copies.containsKey(wrt[i]) ? g.get(k++) : null;
    }
    nodes = tape.nodes().toArray(new Node[0]);
    same = new Node[nodes.length];
    output = new boolean[nodes.length];
    output[root.id] = true;
    for (Node k : keep) {
      output[copies.get(k).id] = true;
    }
    for (Node n : gradients) {
      if (n != null) {
        output[n.id] = true;
      }
    }
  }

  /**
   * The user nodes the outputs depend on, copied in order: wrt as variables, the other leaves as
   * constants, each with its user's name (which errors in a run show).
   */
  private void copy(Node J, Node[] wrt, Node[] keep) {
    Set<Node> differentiated = new HashSet<>(Arrays.asList(wrt));
    Node[] user = J.tape.nodes().toArray(new Node[0]);
    boolean[] used = new boolean[user.length];
    ArrayDeque<Node> todo = new ArrayDeque<>();
    todo.add(J);
    todo.addAll(Arrays.asList(keep));
    while (!todo.isEmpty()) {
      Node n = todo.pop();
      if (!used[n.id]) {
        used[n.id] = true;
        for (int k = 0; k < n.arity(); k++) {
          todo.push(n.inputs[k]);
        }
      }
    }
    for (Node n : user) {
      if (!used[n.id]) {
        continue;
      }
      Node c;
      if (n.op == null) {
        c = differentiated.contains(n) ? tape.variable(n.name(), n.value)
            : tape.constant(n.name(), n.value);
      } else {
        Node[] x = new Node[n.arity()];
        for (int k = 0; k < x.length; k++) {
          x[k] = copies.get(n.inputs[k]);
        }
        c = tape.apply(n.op, x).named(n.name());
      }
      c.hook = n.hook; // the plan runs it on its own gradients
      copies.put(n, c);
    }
  }

  /** What the rewrites decided for one node: how it is computed, from which nodes. */
  private static final class Entry {
    final Node node;
    final Node[] reads;
    /** A read whose buffer the result may take over if it dies here, or null. */
    Node overwritable;
    /** For a product that adds a term: the product node, the term c and β's 1×1 node or null. */
    Node product;
    Node c;
    Node beta;
    /** For a bias and activation in one pass: the activation's kind, else -1. */
    int activation = -1;

    Entry(Node node, Node... reads) {
      this.node = node;
      this.reads = reads;
    }
  }

  /** The instructions and the buffer of every node they compute or read. */
  record Compiled(Instruction[] forward, Instruction[] backward, DMatrixRMaj[] buffers) {}

  /** The instructions, split into forward and backward, on buffers assigned by liveness. */
  Compiled compile() {
    int n = nodes.length;
    Node[][] in = simplify();
    boolean[] needed = new boolean[n];
    for (int i = 0; i < n; i++) {
      if (output[i]) { // an output found to equal another node is that node's buffer
        output[value(i).id] = true;
        needed[value(i).id] = true;
      }
    }
    // walking from the end, every input of a needed node is needed
    for (int i = n - 1; i >= 0; i--) {
      if (needed[i] && in[i] != null) {
        for (Node x : in[i]) {
          needed[x.id] = true;
        }
      }
    }
    int[] uses = new int[n];
    for (int i = 0; i < n; i++) {
      if (needed[i] && in[i] != null) {
        for (Node x : in[i]) {
          uses[x.id]++;
        }
      }
    }
    Rewrite r = new Rewrite(in, uses);
    Entry[] entries = new Entry[n];
    for (int i = 0; i < n; i++) {
      if (needed[i] && in[i] != null) {
        entries[i] = r.entry(nodes[i]);
      }
    }
    List<Entry> order = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (entries[i] != null && !r.absorbed[i]) {
        order.add(entries[i]);
      }
    }
    return assign(order);
  }

  /** The node whose value node i's is: itself, or the node it was found to equal. */
  private Node value(int i) {
    Node v = nodes[i];
    while (same[v.id] != null) {
      v = same[v.id];
    }
    return v;
  }

  /** For each node found to equal another, that node; null elsewhere. */
  private final Node[] same;

  /**
   * The inputs each op reads once two identities are applied: x ⊙ 1 is x, for the 1 that a
   * backward starts from; and an elementwise op that broadcasts reads a broadcastTo's input as it
   * is (its gradient's scalars are not spread into matrices first). Null for a leaf.
   */
  private Node[][] simplify() {
    Node[][] in = new Node[nodes.length][];
    for (Node x : nodes) {
      if (x.op == null) {
        continue;
      }
      Node[] r = new Node[x.arity()];
      for (int k = 0; k < r.length; k++) {
        r[k] = value(x.inputs[k].id);
      }
      if (x.op instanceof Broadcasting) {
        for (int k = 0; k < 2; k++) {
          if (r[k].op instanceof BroadcastTo && sameShape(r[1 - k], x)) {
            r[k] = value(r[k].inputs[0].id);
          }
        }
      }
      if (x.op instanceof Mul) {
        for (int k = 0; k < 2; k++) {
          if (isOne(r[1 - k]) && sameShape(r[k], x)) {
            same[x.id] = r[k];
          }
        }
      }
      in[x.id] = same[x.id] == null ? r : null;
    }
    return in;
  }

  /** The 1×1 constant 1 of the plan's own tape (a backward's seed), which no one else can change. */
  private boolean isOne(Node x) {
    return x.op == null && x.id >= forwardEnd && x.rows == 1 && x.cols == 1
        && x.value.data[0] == 1;
  }

  /** The fusions, decided consumer by consumer in tape order. */
  private final class Rewrite {
    final Node[][] in;
    final int[] uses;
    /** Computed inside its one consumer's instruction, not on its own. */
    final boolean[] absorbed;
    /** Computes another node inside its instruction, so it cannot be fused itself. */
    final boolean[] absorbs;

    Rewrite(Node[][] in, int[] uses) {
      this.in = in;
      this.uses = uses;
      this.absorbed = new boolean[uses.length];
      this.absorbs = new boolean[uses.length];
    }

    /** True when x is an op read only by its one consumer and no output: it can be fused away. */
    boolean fusable(Node x) {
      return in[x.id] != null && uses[x.id] == 1 && !output[x.id] && !absorbed[x.id]
          && !absorbs[x.id];
    }

    void absorb(Node consumer, Node x) {
      absorbed[x.id] = true;
      absorbs[consumer.id] = true;
    }

    Entry entry(Node n) {
      Op op = n.op;
      Node[] x = in[n.id];
      if (!(op instanceof Primitive)) {
        return new Entry(n, x);
      }
      if (op instanceof Add && sameShape(n, x[0]) && sameShape(n, x[1])) {
        for (int k = 0; k < 2; k++) {
          Node q = x[1 - k];
          Node p = x[k];
          if (p != q && isProduct(q) && fusable(q)) {
            return fold(n, q, p);
          }
        }
      }
      if ((op instanceof Relu || op instanceof Sigmoid || op instanceof Tanh)
          && x[0].op instanceof Add && fusable(x[0])) {
        Node z = x[0];
        for (int k = 0; k < 2; k++) {
          Node m = in[z.id][k];
          Node b = in[z.id][1 - k];
          if (sameShape(m, z) && b.cols == z.cols && (b.rows == 1 || b.rows == z.rows)) {
            absorb(n, z);
            Entry e = new Entry(n, m, b);
            e.activation = op instanceof Relu ? Instruction.BiasActivation.RELU
                : op instanceof Sigmoid ? Instruction.BiasActivation.SIGMOID
                    : Instruction.BiasActivation.TANH;
            e.overwritable = m;
            return e;
          }
        }
      }
      Entry e = new Entry(n, x);
      if (ELEMENTWISE.contains(op.getClass())) {
        for (Node r : x) {
          if (sameShape(r, n)) {
            e.overwritable = r;
            break;
          }
        }
      }
      return e;
    }

    /**
     * n = p + q for a product q: q's BLAS call adds p as β·C. When p is s·M for a 1×1 s (a
     * penalty's gradient), the call reads M and s instead, and p is never computed.
     */
    Entry fold(Node n, Node q, Node p) {
      absorb(n, q);
      Node c = p;
      Node beta = null;
      if (p.op instanceof Mul && fusable(p)) {
        for (int k = 0; k < 2; k++) {
          Node s = in[p.id][1 - k];
          Node m = in[p.id][k];
          if (s.rows == 1 && s.cols == 1 && sameShape(m, n) && s != m) {
            absorb(n, p);
            c = m;
            beta = s;
            break;
          }
        }
      }
      Node a = in[q.id][0];
      Node b = in[q.id][1];
      Entry e = beta == null ? new Entry(n, a, b, c) : new Entry(n, a, b, c, beta);
      e.product = q;
      e.c = c;
      e.beta = beta;
      // the term is overwritten by the sum only where BLAS does not also read it as an operand
      e.overwritable = beta == null && c != a && c != b ? c : null;
      return e;
    }
  }

  private static boolean isProduct(Node q) {
    return q.op instanceof MatMul || q.op instanceof MatMulTransA || q.op instanceof MatMulTransB;
  }

  private static boolean sameShape(Node a, Node b) {
    return a.rows == b.rows && a.cols == b.cols;
  }

  /**
   * Buffers by liveness, then the instructions on them. Leaves keep their own matrices (the user's,
   * read at every run), and so do a custom op's inputs and output, whose forward reads node values;
   * every other value takes a buffer that a dead value gave back, or one of its own.
   */
  private Compiled assign(List<Entry> order) {
    int n = nodes.length;
    int[] lastUse = new int[n];
    Arrays.fill(lastUse, -1);
    boolean[] pinned = new boolean[n];
    for (int t = 0; t < order.size(); t++) {
      Entry e = order.get(t);
      for (Node r : e.reads) {
        lastUse[r.id] = t;
      }
      if (!(e.node.op instanceof Primitive)) {
        pinned[e.node.id] = true;
        for (Node r : e.reads) {
          pinned[r.id] = true;
        }
      }
    }
    DMatrixRMaj[] buffer = new DMatrixRMaj[n];
    for (int i = 0; i < n; i++) {
      if (nodes[i].op == null || pinned[i]) {
        pinned[i] = true;
        buffer[i] = nodes[i].value;
      } else if (nodes[i].op instanceof ScatterAddRows) {
        // a buffer of its own, zero but for the rows each run writes and the next one clears:
        // a table's gradient then costs ids × width, not the table's size
        pinned[i] = true;
        buffer[i] = new DMatrixRMaj(nodes[i].rows, nodes[i].cols);
      }
    }
    Pool pool = new Pool();
    List<Instruction> forward = new ArrayList<>();
    List<Instruction> backward = new ArrayList<>();
    for (int t = 0; t < order.size(); t++) {
      Entry e = order.get(t);
      Node y = e.node;
      Node victim = e.overwritable;
      boolean takeOver = buffer[y.id] == null && victim != null && !pinned[victim.id]
          && !output[victim.id] && lastUse[victim.id] == t && sameShape(victim, y);
      if (takeOver) {
        buffer[y.id] = buffer[victim.id];
      } else if (buffer[y.id] == null) {
        buffer[y.id] = pool.take(y.rows, y.cols);
      }
      for (Node r : e.reads) {
        if (lastUse[r.id] == t && !pinned[r.id] && !output[r.id]) {
          if (!(takeOver && r == victim)) {
            pool.give(buffer[r.id]);
          }
          lastUse[r.id] = -1; // given back once, though read twice
        }
      }
      Instruction i = instruction(e, buffer);
      i.text = text(e);
      (y.id < forwardEnd ? forward : backward).add(i);
    }
    for (int i = 0; i < n; i++) {
      if (same[i] != null) {
        buffer[i] = buffer[value(i).id];
      }
    }
    return new Compiled(forward.toArray(new Instruction[0]), backward.toArray(new Instruction[0]),
        buffer);
  }

  private static Instruction instruction(Entry e, DMatrixRMaj[] buffer) {
    Node y = e.node;
    DMatrixRMaj out = buffer[y.id];
    if (!(y.op instanceof Primitive)) {
      return new Instruction.Custom(y);
    }
    if (y.op instanceof ScatterAddRows scatter) {
      return new Instruction.ScatterRows(y, scatter, buffer[e.reads[0].id], out);
    }
    if (e.activation >= 0) {
      return new Instruction.BiasActivation(y, buffer[e.reads[0].id], buffer[e.reads[1].id],
          e.activation, out);
    }
    if (e.product != null) {
      Op op = e.product.op;
      return new Instruction.Product(y, op instanceof MatMulTransA, op instanceof MatMulTransB,
          buffer[e.reads[0].id], buffer[e.reads[1].id], buffer[e.c.id],
          e.beta == null ? null : buffer[e.beta.id], out);
    }
    DMatrixRMaj[] in = new DMatrixRMaj[e.reads.length];
    for (int k = 0; k < in.length; k++) {
      in[k] = buffer[e.reads[k].id];
    }
    return new Instruction.Compute(y, in, out);
  }

  /** E.g. {@code g9:5×6 = matmulTransA(g8, X) + β·W1 (β = ∂J/∂J)}. */
  private String text(Entry e) {
    Node y = e.node;
    String lhs = name(y) + ":" + Shapes.of(y.rows, y.cols) + " = ";
    if (e.activation >= 0) {
      return lhs + y.op.name() + "(" + name(e.reads[0]) + " + " + name(e.reads[1]) + ")";
    }
    Node[] args = e.product != null ? new Node[] {e.reads[0], e.reads[1]} : e.reads;
    StringBuilder s = new StringBuilder(lhs)
        .append((e.product != null ? e.product : y).op.name()).append('(');
    for (int k = 0; k < args.length; k++) {
      s.append(k > 0 ? ", " : "").append(name(args[k]));
    }
    s.append(')');
    if (e.product != null) {
      s.append(" + β·").append(name(e.c)).append(" (β = ")
          .append(e.beta == null ? "1" : name(e.beta)).append(')');
    }
    return s.toString();
  }

  /** A node's name, and g followed by its place for an unnamed node of the backward pass. */
  private String name(Node n) {
    return n.hasName() || n.id < forwardEnd ? n.name() : "g" + n.id;
  }

  /**
   * Arrays given back by dead values, handed out again by size, each wrapped to the shape asked
   * for.
   */
  private static final class Pool {
    private final List<DMatrixRMaj> free = new ArrayList<>();

    DMatrixRMaj take(int rows, int cols) {
      int size = rows * cols;
      int best = -1;
      for (int i = 0; i < free.size(); i++) {
        int length = free.get(i).data.length;
        if (length >= size && (best < 0 || length < free.get(best).data.length)) {
          best = i;
        }
      }
      if (best < 0) {
        return new DMatrixRMaj(rows, cols);
      }
      DMatrixRMaj m = free.remove(best);
      return m.numRows == rows && m.numCols == cols ? m : DMatrixRMaj.wrap(rows, cols, m.data);
    }

    void give(DMatrixRMaj m) {
      free.add(m);
    }
  }
}
