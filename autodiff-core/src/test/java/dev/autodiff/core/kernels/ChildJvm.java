package dev.autodiff.core.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A test's main class run in a JVM of its own, with the class path and flags the test gives. */
final class ChildJvm {
  private ChildJvm() {}

  /** What the child printed. */
  record Output(String stdout, String stderr) {}

  /** This JVM's class path, entry by entry. */
  static List<String> classPath() {
    return Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
  }

  /**
   * Runs main in a JVM of this one's Java, with native access enabled as the build enables it for
   * its own JVMs (Java 22+ warns otherwise); fails the test unless it exits with 0.
   */
  static Output run(List<String> classPath, Class<?> main, String... flags)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED"));
    command.addAll(List.of(flags));
    command.addAll(List.of("-cp", String.join(File.pathSeparator, classPath), main.getName()));
    Path err = Files.createTempFile("child", ".err");
    try {
      Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int exit = p.waitFor();
      String stderr = Files.readString(err);
      assertEquals(0, exit, out + stderr);
      return new Output(out, stderr);
    } finally {
      Files.delete(err);
    }
  }
}
