package dev.autodiff.core.trace;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The page's own KaTeX run by Node.js in strict mode: what our TeX turns into, or its error. The
 * examples' tests use it too, through this module's test jar.
 */
public final class KatexUnderNode {
  public static final String MISSING = "Node.js is needed to run KaTeX (apt-get install nodejs,"
      + " or see .ci/run); the TeX was not rendered";
  private static final Pattern BLOCK = Pattern.compile("\\$\\$(.*?)\\$\\$", Pattern.DOTALL);
  private static final String SCRIPT = """
      const katex = require(process.argv[2]);
      const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
      for (const tex of input) {
        try {
          const options = {displayMode: true, strict: 'error', throwOnError: true};
          console.log(katex.renderToString(tex, {...options, output: 'mathml'})
            .replace(/\\n/g, ' '));
        } catch (e) {
          console.log('error: ' + String(e.message).replace(/\\n/g, ' '));
        }
      }
      """;

  private KatexUnderNode() {}

  public static boolean available() {
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The contents of a Markdown text's {@code $$ … $$} blocks. */
  public static List<String> blocks(CharSequence markdown) {
    List<String> out = new ArrayList<>();
    Matcher m = BLOCK.matcher(markdown);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  /** Each TeX string in display mode, strict: its MathML, or "error: " and KaTeX's message. */
  public static List<String> render(List<String> tex) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("katex");
    try {
      Path katex = dir.resolve("katex.min.js");
      try (InputStream in = Explanation.class.getResourceAsStream("katex/katex.min.js")) {
        Files.copy(in, katex);
      }
      Path script = Files.writeString(dir.resolve("render.js"), SCRIPT);
      Process p = new ProcessBuilder("node", script.toString(), katex.toString())
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      try (OutputStream stdin = p.getOutputStream()) {
        stdin.write(Json.of(tex).getBytes(StandardCharsets.UTF_8));
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException("node failed on KaTeX: " + out);
      }
      return out.lines().toList();
    } finally {
      try (var files = Files.list(dir)) {
        for (Path f : files.toList()) {
          Files.delete(f);
        }
      }
      Files.delete(dir);
    }
  }
}
