package dev.autodiff.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The README's "Testing your own gradients" example, a JUnit test of docs/CORE.md's custom op:
 * compiled from the pages as they stand and run through the JUnit platform, once with the op as
 * written (every shape passes) and once with its gradient doubled (every shape fails, saying so).
 */
class ReadmeTest {
  static final String SECTION = "## Testing your own gradients";

  @Test
  void theReadmesGradientTestIsShortPassesAndFailsForAWrongGradient(@TempDir Path dir)
      throws Exception {
    String test = readmeBlock();
    assertTrue(test.lines().count() <= 15, () -> "the README's test is longer than 15 lines:\n"
        + test);
    assertTrue(test.contains("class LogCoshGradientTest"), test);
    String op = logCosh();

    TestExecutionSummary right = run(dir.resolve("right"), test, op);
    assertEquals(6, right.getTestsFoundCount(), () -> summary(right));
    assertEquals(6, right.getTestsSucceededCount(), () -> summary(right));

    String doubled = op.replace("g.mul(y.input(0).tanh())", "g.mul(y.input(0).tanh()).scale(2)");
    assertTrue(!doubled.equals(op), "docs/CORE.md's log cosh no longer computes g ⊙ tanh x");
    TestExecutionSummary wrong = run(dir.resolve("wrong"), test, doubled);
    assertEquals(6, wrong.getTestsFailedCount(), () -> summary(wrong));
    for (TestExecutionSummary.Failure f : wrong.getFailures()) {
      assertTrue(f.getException() instanceof AssertionError, () -> summary(wrong));
      assertTrue(f.getException().getMessage().contains("first order     FAILED: x0: analytic ="
          + " 2.00000 × numeric"), () -> f.getException().getMessage());
    }
    // the diagnosis the README quotes is the 3×2 case's
    String shown = readmeReport();
    String tall = wrong.getFailures().stream()
        .filter(f -> f.getTestIdentifier().getDisplayName().contains("tall 3×2"))
        .map(f -> f.getException().getMessage()).findFirst().orElseThrow();
    assertTrue(tall.contains(shown), () -> "README.md quotes\n" + shown + "\nnot in\n" + tall);
  }

  /** The first Java block of the README's section on testing gradients. */
  static String readmeBlock() throws Exception {
    String readme = Files.readString(Path.of("../README.md"));
    int section = readme.indexOf(SECTION);
    assertTrue(section >= 0, "README.md has no section " + SECTION);
    int from = readme.indexOf("```java\n", section) + "```java\n".length();
    return readme.substring(from, readme.indexOf("```", from));
  }

  /** The diagnosis the README quotes after that Java block, its line break a space. */
  static String readmeReport() throws Exception {
    String readme = Files.readString(Path.of("../README.md"));
    String lead = "fails with what its errors' pattern means, e.g. `";
    int from = readme.indexOf(lead, readme.indexOf(SECTION));
    assertTrue(from >= 0, "README.md no longer quotes a failure's diagnosis");
    from += lead.length();
    return readme.substring(from, readme.indexOf('`', from)).replace('\n', ' ');
  }


  /** docs/CORE.md's LogCosh, with the imports the page leaves out. */
  static String logCosh() throws Exception {
    String page = Files.readString(Path.of("../docs/CORE.md"));
    int from = page.indexOf("final class LogCosh implements Op {");
    assertTrue(from >= 0, "docs/CORE.md has no LogCosh");
    String body = page.substring(from, page.indexOf("\n}\n", from) + 3);
    return "import dev.autodiff.core.Node;\nimport dev.autodiff.core.Op;\n"
        + "import org.ejml.data.DMatrixRMaj;\n\n" + body;
  }

  /** Compiles both sources into dir and runs the test class through the JUnit platform. */
  static TestExecutionSummary run(Path dir, String test, String op) throws Exception {
    Files.createDirectories(dir);
    Path testFile = dir.resolve("LogCoshGradientTest.java");
    Path opFile = dir.resolve("LogCosh.java");
    Files.writeString(testFile, test);
    Files.writeString(opFile, op);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    int status = javac.run(null, null, errors, "-d", dir.toString(), "-classpath",
        System.getProperty("java.class.path"), testFile.toString(), opFile.toString());
    assertEquals(0, status, errors.toString(StandardCharsets.UTF_8));
    try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()},
        ReadmeTest.class.getClassLoader())) {
      Class<?> testClass = loader.loadClass("LogCoshGradientTest");
      SummaryGeneratingListener listener = new SummaryGeneratingListener();
      LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
          .selectors(selectClass(testClass)).build(), listener);
      return listener.getSummary();
    }
  }

  private static String summary(TestExecutionSummary s) {
    StringBuilder b = new StringBuilder("found " + s.getTestsFoundCount() + ", succeeded "
        + s.getTestsSucceededCount() + ", failed " + s.getTestsFailedCount());
    s.getFailures().forEach(f -> b.append('\n').append(f.getTestIdentifier().getDisplayName())
        .append(": ").append(f.getException()));
    return b.toString();
  }
}
