package dev.autodiff.examples;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** {@code --name value} options of a sub-command, each with a default. */
final class Options {
  private final Map<String, String> values = new HashMap<>();

  /** Parses args; an option not in {@code known} or without a value is an error. */
  Options(String[] args, Set<String> known) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--") || !known.contains(a.substring(2))) {
        throw new IllegalArgumentException("unknown option '" + a + "'; options: --"
            + String.join(", --", known));
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("option " + a + " needs a value");
      }
      values.put(a.substring(2), args[++i]);
    }
  }

  String get(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  Path path(String name, String fallback) {
    return Path.of(get(name, fallback));
  }

  int integer(String name, int fallback) {
    return parse(name, fallback, Integer::valueOf, "an integer");
  }

  double number(String name, double fallback) {
    return parse(name, fallback, Double::valueOf, "a number");
  }

  private <T> T parse(String name, T fallback, Function<String, T> parser, String what) {
    String v = values.get(name);
    try {
      return v == null ? fallback : parser.apply(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " needs " + what + ", got '" + v + "'");
    }
  }
}
