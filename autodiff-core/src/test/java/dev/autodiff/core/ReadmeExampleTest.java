package dev.autodiff.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autodiff.core.check.GradientCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/** The README's usage example, compiled and run; and the README must show it verbatim. */
class ReadmeExampleTest {

  @Test
  void usageExampleRuns() {
    // README:begin
    DMatrixRMaj xMatrix = new DMatrixRMaj(new double[][] {{6}, {3}});
    DMatrixRMaj wMatrix = new DMatrixRMaj(new double[][] {{.3, .5}, {.2, .7}, {.1, .4}});
    DMatrixRMaj bMatrix = new DMatrixRMaj(new double[][] {{.1}, {.2}, {.3}});

    Tape tape = new Tape();
    Node x = tape.constant("x", xMatrix);          // a leaf with no gradient
    Node W = tape.variable("W", wMatrix);          // a leaf that receives a gradient
    Node b = tape.variable("b", bMatrix);
    Node u = W.matmul(x).add(b).named("u");        // every op is recorded on the tape, in order
    Node J = u.relu().sum().named("J");            // J must be 1×1

    Gradients g = tape.backward(J);
    DMatrixRMaj dW = g.get(W);                     // same shape as W: ∂J/∂W = [6 3; 6 3; 6 3]

    // prove it against central finite differences, in your own tests
    GradientCheck.defaults()
        .check(v -> v.get(0).matmul(v.get(1)).relu().sum(), wMatrix, xMatrix)
        .assertPassed();
    // README:end
    assertEquals(9.0, J.scalar(), 1e-12);
    assertArrayEquals(new double[] {6, 3, 6, 3, 6, 3}, dW.data, 0);
  }

  @Test
  void readmeShowsThisExampleVerbatim() throws IOException {
    String source = Files.readString(Path.of("src/test/java/dev/autodiff/core/ReadmeExampleTest.java"));
    String block = source.substring(source.indexOf("// README:begin") + 16,
        source.indexOf("    // README:end"));
    String expected = block.lines().map(l -> l.length() >= 4 ? l.substring(4) : l)
        .collect(Collectors.joining("\n"));
    String readme = Files.readString(Path.of("../README.md"));
    assertTrue(readme.contains(expected), "README.md must contain, verbatim:\n" + expected);
  }
}
