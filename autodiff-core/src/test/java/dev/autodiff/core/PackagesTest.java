package dev.autodiff.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The core's packages import downward only: kernels below the graph and its ops, check and trace
 * above them, io on its own, and no cycle anywhere (read from the sources' import lines).
 */
class PackagesTest {
  private static final Pattern IMPORT =
      Pattern.compile("^import (?:static )?(dev\\.autodiff\\.[a-z.]+)\\.[A-Z]", Pattern.MULTILINE);

  @Test
  void thePackagesImportEachOtherWithoutACycle() throws IOException {
    Map<String, Set<String>> imports = new TreeMap<>();
    Path root = Path.of("src/main/java");
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        String pkg = root.relativize(f.getParent()).toString().replace('/', '.');
        Set<String> to = imports.computeIfAbsent(pkg, k -> new TreeSet<>());
        Matcher m = IMPORT.matcher(Files.readString(f));
        while (m.find()) {
          if (!m.group(1).equals(pkg)) {
            to.add(m.group(1));
          }
        }
      }
    }
    assertEquals(Set.of("dev.autodiff.core.kernels"), imports.get("dev.autodiff.core"));
    assertEquals(Set.of(), imports.get("dev.autodiff.core.kernels"));
    assertEquals(Set.of("dev.autodiff.core", "dev.autodiff.core.io"),
        imports.get("dev.autodiff.core.trace"));
    assertEquals(Set.of(), imports.get("dev.autodiff.core.io"));
    assertEquals(Set.of("dev.autodiff.core"), imports.get("dev.autodiff.core.check"));
    for (String p : imports.keySet()) {
      List<String> path = new ArrayList<>();
      assertTrue(!reaches(imports, p, p, path, new TreeSet<>()), "a cycle: " + path);
    }
  }

  private static boolean reaches(Map<String, Set<String>> g, String from, String target,
      List<String> path, Set<String> seen) {
    for (String next : g.getOrDefault(from, Set.of())) {
      path.add(next);
      if (next.equals(target) || seen.add(next) && reaches(g, next, target, path, seen)) {
        return true;
      }
      path.remove(path.size() - 1);
    }
    return false;
  }
}
