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
    c.put("logistic", args -> Logistic.run(System.out));
    c.put("step-size", args -> io(() -> StepSize.run(args, System.out)));
    c.put("xor", args -> Xor.run(System.out));
    c.put("fashion-mnist", args -> io(() -> FashionMnist.run(args, System.out)));
    c.put("fashion-cnn", args -> io(() -> FashionCnn.run(args, System.out)));
    c.put("char-rnn", args -> io(() -> CharRnn.run(args, System.out)));
    c.put("explain", args -> Explain.run(
        new Options(args, java.util.Set.of("out")).path("out", "target/examples/explain"),
        System.out));
    return c;
  }

  /** A program that may fail reading or writing files. */
  interface IoProgram {
    void run() throws java.io.IOException;
  }

  static void io(IoProgram p) {
    try {
      p.run();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
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
    try {
      command.accept(rest);
    } catch (IllegalArgumentException | IllegalStateException e) {
      System.err.println(name + ": " + e.getMessage());
      System.exit(1);
    } catch (java.io.UncheckedIOException e) {
      System.err.println(name + ": " + e.getCause().getMessage());
      System.exit(1);
    }
  }
}
