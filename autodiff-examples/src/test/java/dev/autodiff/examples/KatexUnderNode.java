package dev.autodiff.examples;

import dev.autodiff.core.trace.Explanation;
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

/** The page's own KaTeX run by Node.js in strict mode, on one TeX string a line. */
final class KatexUnderNode {
  static final String MISSING = "Node.js is needed to run KaTeX (apt-get install nodejs, or see"
      + " .ci/run); the TeX was not rendered";
  private static final Pattern BLOCK = Pattern.compile("\\$\\$(.*?)\\$\\$", Pattern.DOTALL);
  private static final String SCRIPT = """
      const katex = require(process.argv[2]);
      const lines = require('fs').readFileSync(0, 'utf8').split('\\n').filter(l => l.length > 0);
      for (const tex of lines) {
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

  static boolean available() {
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
  static List<String> blocks(CharSequence markdown) {
    List<String> out = new ArrayList<>();
    Matcher m = BLOCK.matcher(markdown);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  /** Each one-line TeX string in display mode, strict: its MathML, or "error: " and why. */
  static List<String> render(List<String> tex) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("katex");
    Path katex = dir.resolve("katex.min.js");
    Path script = dir.resolve("render.js");
    try {
      try (InputStream in = Explanation.class.getResourceAsStream("katex/katex.min.js")) {
        Files.copy(in, katex);
      }
      Files.writeString(script, SCRIPT);
      Process p = new ProcessBuilder("node", script.toString(), katex.toString())
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      try (OutputStream stdin = p.getOutputStream()) {
        stdin.write(String.join("\n", tex).getBytes(StandardCharsets.UTF_8));
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException("node failed on KaTeX: " + out);
      }
      return out.lines().toList();
    } finally {
      Files.deleteIfExists(katex);
      Files.deleteIfExists(script);
      Files.deleteIfExists(dir);
    }
  }
}
