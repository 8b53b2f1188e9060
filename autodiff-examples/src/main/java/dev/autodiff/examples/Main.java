package dev.autodiff.examples;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/** One entry point, one sub-command per example. */
public final class Main {
  private Main() {}

  /** Sub-command name → program taking the remaining arguments. */
  static Map<String, Consumer<String[]>> commands() {
    Map<String, Consumer<String[]>> c = new LinkedHashMap<>();
    c.put("worked-example", args -> WorkedExample.run(System.out));
    c.put("explain", args -> Explain.run(
        java.nio.file.Path.of(args.length > 0 ? args[0] : "target/explain"), System.out));
    return c;
  }

  public static void main(String[] args) {
    Map<String, Consumer<String[]>> commands = commands();
    String name = args.length == 0 ? "worked-example" : args[0];
    Consumer<String[]> command = commands.get(name);
    if (command == null) {
      System.err.println("unknown example '" + name + "'; choose one of " + commands.keySet());
      System.exit(2);
    }
    String[] rest = new String[Math.max(0, args.length - 1)];
    System.arraycopy(args, Math.min(1, args.length), rest, 0, rest.length);
    command.accept(rest);
  }
}
