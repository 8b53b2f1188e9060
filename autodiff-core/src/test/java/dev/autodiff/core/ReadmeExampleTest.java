package dev.autodiff.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.RandomMatrices_DDRM;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's examples, compiled and run; and the README must show them verbatim. */
class ReadmeExampleTest {

  /** The README's first Java block, a whole class, compiled and run as it stands there. */
  @Test
  void theReadmesExampleCompilesRunsAndPrintsTheGradient(@TempDir Path dir) throws Exception {
    String readme = Files.readString(Path.of("../README.md"));
    int from = readme.indexOf("```java\n") + "```java\n".length();
    String source = readme.substring(from, readme.indexOf("```", from));
    assertTrue(source.contains("public class Example"), source);
    Path file = dir.resolve("Example.java");
    Files.writeString(file, source);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    int status = javac.run(null, null, errors, "-d", dir.toString(), "-classpath",
        System.getProperty("java.class.path"), file.toString());
    assertEquals(0, status, errors.toString(StandardCharsets.UTF_8));
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream out = System.out;
    try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()},
        getClass().getClassLoader())) {
      System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
      loader.loadClass("Example").getMethod("main", String[].class)
          .invoke(null, (Object) new String[0]);
    } finally {
      System.setOut(out);
    }
    // EJML prints a header, then ∂J/∂W's rows: [6 3; 6 3; 6 3]
    String text = printed.toString(StandardCharsets.UTF_8);
    assertTrue(text.startsWith("Type = DDRM , rows = 3 , cols = 2\n"), text);
    List<Double> numbers = new ArrayList<>();
    Matcher m = Pattern.compile("-?\\d+(\\.\\d+)?(E[+-]\\d+)?")
        .matcher(text.substring(text.indexOf('\n')));
    while (m.find()) {
      numbers.add(Double.parseDouble(m.group()));
    }
    assertEquals(List.of(6.0, 3.0, 6.0, 3.0, 6.0, 3.0), numbers, printed.toString());
  }

  @Test
  void planExampleTrainsLikeANewTapePerStep() {
    Problem p = new Problem(new Random(3));
    DMatrixRMaj x = p.x(), y = p.y(), w0 = p.w0();
    DMatrixRMaj w = w0.copy();
    DMatrixRMaj bias = new DMatrixRMaj(1, 2);
    int steps = 20;
    double eta = 0.05;
    // README:plan:begin
    Tape tape = new Tape();
    Node X = tape.constant("X", x), Y = tape.constant("Y", y);    // refilled in place each step
    Node W = tape.variable("W", w), b = tape.variable("b", bias); // updated in place each step
    Node J = Y.sub(X.matmulTransB(W).add(b)).halfSquaredNorm();
    Plan plan = Plan.compile(J, W, b);       // the graph and its backward, on fixed buffers
    for (int step = 0; step < steps; step++) {
      Gradients g = plan.run();              // forward and backward on the current w, bias
      CommonOps_DDRM.addEquals(w, -eta, g.get(W));
      CommonOps_DDRM.addEquals(bias, -eta, g.get(b));
    }
    // README:plan:end

    assertTrainedLikeNewTapes(x, y, w0, steps, eta, 0, w, bias);
  }

  @Test
  void aLoopThatClosesItsTapesTrainsLikeOneThatDoesNot() {
    Problem p = new Problem(new Random(4));
    DMatrixRMaj x = p.x(), y = p.y(), w0 = p.w0();
    DMatrixRMaj w = w0.copy();
    DMatrixRMaj bias = new DMatrixRMaj(1, 2);
    int steps = 20;
    double eta = 0.05;
    double lambda = 0.1;
    for (int step = 0; step < steps; step++) {
      try (Tape tape = new Tape()) {           // closing has no effect: older code still compiles
        Node W = tape.variable("W", w), b = tape.variable("b", bias);
        Node L = tape.constant("Y", y).sub(tape.constant("X", x).matmulTransB(W).add(b))
            .halfSquaredNorm();
        Node J = L.add(W.halfSquaredNorm().scale(lambda));
        Gradients g = tape.backward(J);
        CommonOps_DDRM.addEquals(w, -eta, g.get(W));
        CommonOps_DDRM.addEquals(bias, -eta, g.get(b));
      }
    }

    assertTrainedLikeNewTapes(x, y, w0, steps, eta, lambda, w, bias);
  }

  /** A regression's batch X (8×3), targets Y (8×2) and first weights W (2×3). */
  private record Problem(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj w0) {
    Problem(Random rng) {
      this(RandomMatrices_DDRM.rectangle(8, 3, -1, 1, rng),
          RandomMatrices_DDRM.rectangle(8, 2, -1, 1, rng),
          RandomMatrices_DDRM.rectangle(2, 3, -1, 1, rng));
    }
  }

  /**
   * The same training with a new tape every step, none closed, on J = ½‖Y − (X Wᵀ ⊕ b)‖² (+ λ·½‖W‖²
   * when λ ≠ 0), ends bit for bit at w and bias, which moved.
   */
  private static void assertTrainedLikeNewTapes(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj w0,
      int steps, double eta, double lambda, DMatrixRMaj w, DMatrixRMaj bias) {
    DMatrixRMaj w2 = w0.copy();
    DMatrixRMaj bias2 = new DMatrixRMaj(1, 2);
    for (int step = 0; step < steps; step++) {
      Tape t = new Tape();
      Node W2 = t.variable("W", w2);
      Node b2 = t.variable("b", bias2);
      Node J2 = t.constant("Y", y).sub(t.constant("X", x).matmulTransB(W2).add(b2))
          .halfSquaredNorm();
      if (lambda != 0) {
        J2 = J2.add(W2.halfSquaredNorm().scale(lambda));
      }
      Gradients g = t.backward(J2);
      CommonOps_DDRM.addEquals(w2, -eta, g.get(W2));
      CommonOps_DDRM.addEquals(bias2, -eta, g.get(b2));
    }
    assertArrayEquals(w2.data, w.data, 0);
    assertArrayEquals(bias2.data, bias.data, 0);
    assertTrue(CommonOps_DDRM.elementMaxAbs(CommonOps_DDRM.subtract(w, w0, null)) > 0.01);
  }

  @Test
  void readmeShowsTheseExamplesVerbatim() throws IOException {
    String source = Files.readString(Path.of("src/test/java/dev/autodiff/core/ReadmeExampleTest.java"));
    // the plan is shown in docs/CORE.md
    String readme = Files.readString(Path.of("../docs/CORE.md"));
    for (String marker : new String[] {"README:plan"}) {
      String begin = "// " + marker + ":begin";
      String block = source.substring(source.indexOf(begin) + begin.length() + 1,
          source.indexOf("    // " + marker + ":end"));
      String expected = block.lines().map(l -> l.length() >= 4 ? l.substring(4) : l)
          .collect(Collectors.joining("\n"));
      assertTrue(readme.contains(expected), "docs/CORE.md must contain, verbatim:\n" + expected);
    }
  }
}
