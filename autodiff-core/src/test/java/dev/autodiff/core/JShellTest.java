package dev.autodiff.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The REPL of docs/TEACHING.md: JShell with autodiff.jsh, where a node prints its value. */
class JShellTest {
  @Test
  @Timeout(120)
  void aVariableTypedIntoJShellPrintsItsValue() throws IOException, InterruptedException {
    Path jshell = Path.of(System.getProperty("java.home"), "bin", "jshell");
    assumeTrue(Files.isExecutable(jshell), "this Java has no jshell: " + jshell);
    // as autodiff-core/jshell starts it, on the class path the tests run on
    Process p = new ProcessBuilder(jshell.toString(), "--class-path",
        System.getProperty("java.class.path"), "-R--enable-native-access=ALL-UNNAMED",
        "--startup", "DEFAULT", "--startup", "autodiff.jsh").redirectErrorStream(true).start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(("var t = new Tape();\n"
          + "t.variable(\"W\", new DMatrixRMaj(new double[][]{{1,2}}))\n"
          + "/exit\n").getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "jshell did not exit");
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("$2 ==> W (1×2) [[1, 2]]"), out);
    assertTrue(!out.contains("Error"), "the start-up file's imports failed: " + out);
  }
}
