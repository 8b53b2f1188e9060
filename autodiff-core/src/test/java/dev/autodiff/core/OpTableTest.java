package dev.autodiff.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The op table in docs/OPS.md is made from the ops themselves: every op met while recording the
 * rows of {@link OpGradientTest}'s table, with its output, the gradient formula of each input (what
 * the teaching trace prints) and its domain. Every op class of the core must have such a row, so
 * that adding an op means its file and one row of that table. After adding one, regenerate the
 * page with {@code mvn -B test -pl autodiff-core -Dtest=OpTableTest -Dautodiff.writeDocs=true}.
 */
class OpTableTest {
  private static final Path PAGE = Path.of("../docs/OPS.md");

  @Test
  void everyOpHasARowAndTheDocsTableIsMadeFromTheOps() throws IOException {
    Map<String, Primitive> ops = opsOfTheTable();
    for (Class<?> c : opClasses()) {
      assertTrue(ops.values().stream().anyMatch(op -> op.getClass() == c),
          c.getSimpleName() + " has no row in OpGradientTest's table");
    }
    String page = page(ops);
    if (Boolean.getBoolean("autodiff.writeDocs")) {
      Files.writeString(PAGE, page);
    }
    assertEquals(page, Files.readString(PAGE), "docs/OPS.md is not the table the ops make:"
        + " regenerate it with -Dtest=OpTableTest -Dautodiff.writeDocs=true");
  }

  /** Every op recorded by a row of the table, by name without its parameters. */
  static Map<String, Primitive> opsOfTheTable() {
    Map<String, Primitive> ops = new TreeMap<>();
    try (Stream<Arguments> cases = Stream.concat(OpGradientTest.cases(), OpGradientTest.cuts())) {
      cases.forEach(a -> {
        OpGradientTest.Case c = (OpGradientTest.Case) ((Named<?>) a.get()[0]).getPayload();
        Tape tape = new Tape();
        List<Node> x = new ArrayList<>();
        Random rng = new Random(1);
        for (int[] s : c.shapes()) {
          x.add(tape.variable("x", Matrices.uniform(rng, s[0], s[1], c.lo(), c.hi())));
        }
        c.f().apply(x);
        for (Node n : tape.nodes()) {
          if (n.op() instanceof Primitive p) {
            ops.putIfAbsent(p.name().replaceFirst("\\(.*", ""), p);
          }
        }
      });
    }
    return ops;
  }

  /** The op classes of the core: every concrete Primitive in its package. */
  static List<Class<?>> opClasses() throws IOException {
    Path dir;
    try {
      dir = Path.of(Primitive.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .resolve("dev/autodiff/core");
    } catch (URISyntaxException e) {
      throw new IOException(e);
    }
    List<Class<?>> classes = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
        String name = f.getFileName().toString().replace(".class", "");
        try {
          Class<?> c = Class.forName("dev.autodiff.core." + name);
          if (Primitive.class.isAssignableFrom(c) && !Modifier.isAbstract(c.getModifiers())
              && !c.isAnonymousClass()) {
            classes.add(c);
          }
        } catch (ClassNotFoundException e) {
          throw new IOException(e);
        }
      }
    }
    return classes;
  }

  static String page(Map<String, Primitive> ops) {
    StringBuilder s = new StringBuilder("""
        # Ops

        Every built-in op, made from the ops themselves by `OpTableTest` (which fails when this page \
        and the ops disagree). Each op is one class in `dev.autodiff.core` holding its forward \
        kernel, the vector-Jacobian product of each input written with `Node` operations, the \
        formula below and its domain; each is gradient-checked to first and second order over \
        shapes 1×1, row, column and non-square (`OpGradientTest`) and drawn by the random-graph \
        fuzzer (`RandomGraphTest`).

        g is ∂J/∂y. A broadcast operand's gradient is summed over the axes it was broadcast \
        along. `shift` is `x.add(c)` and `x.sub(c)`; `sum`, `sumRows` and `sumCols` are \
        `sumTo(rows, cols)` to 1×1, m×1 and 1×n. `scale` and `shift` are shown with the \
        constants of their rows in the test table.

        | op | y | gradient of each input | domain |
        |---|---|---|---|
        """);
    ops.forEach((name, op) -> {
      String[] in = op.arity() == 1 ? new String[] {"x"}
          : op.arity() == 2 ? new String[] {"a", "b"} : inputs(op.arity());
      String y = op.label() != null ? fill(op.label(), in)
          : name + "(" + String.join(", ", in) + ")";
      List<String> grads = new ArrayList<>();
      List<String> domains = new ArrayList<>();
      for (int i = 0; i < op.arity(); i++) {
        grads.add(in[i] + " ← " + fill(op.gradientFormula(i), in));
        if (op.domain(i) != Domain.ANY) {
          domains.add(in[i] + " " + op.domain(i).describe());
        }
      }
      s.append("| `").append(name).append("` | ").append(y).append(" | ")
          .append(String.join(" ; ", grads)).append(" | ").append(String.join(", ", domains))
          .append(" |\n");
    });
    return s.toString();
  }

  /** x0, x1, … for an op of more than two inputs. */
  private static String[] inputs(int n) {
    String[] in = new String[n];
    for (int i = 0; i < n; i++) {
      in[i] = "x" + i;
    }
    return in;
  }

  /** A formula with {0}, {1} the input names, {g} g and {y} y. */
  private static String fill(String formula, String[] in) {
    String s = formula.replace("{g}", "g").replace("{y}", "y");
    for (int i = 0; i < in.length; i++) {
      s = s.replace("{" + i + "}", in[i]);
    }
    return s.replace("|", "\\|");
  }
}
