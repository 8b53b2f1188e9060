package dev.autodiff.examples;

import dev.autodiff.core.Node;
import dev.autodiff.core.Tape;
import dev.autodiff.nn.Bindings;
import dev.autodiff.nn.Data;
import dev.autodiff.nn.History;
import dev.autodiff.nn.Linear;
import dev.autodiff.nn.Loss;
import dev.autodiff.nn.Losses;
import dev.autodiff.nn.LstmCell;
import dev.autodiff.nn.Module;
import dev.autodiff.nn.Objective;
import dev.autodiff.nn.Optimizer;
import dev.autodiff.nn.Recurrent;
import dev.autodiff.nn.RecurrentCell;
import dev.autodiff.nn.Schedule;
import dev.autodiff.nn.Trainer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.ejml.data.DMatrixRMaj;
import org.knowm.xchart.XYChart;

/**
 * A character-level LSTM language model on words of Debian's word list (package {@code
 * wamerican}): a seeded sample of the words, one per line, cut into sequences of T characters, each
 * character one-hot over the V characters seen, so a batch is N×(T·V) and its targets, the next
 * characters, N×(T·V). The model is an LSTM unrolled over the T steps and a linear layer from each
 * step's h to V logits; the loss is softmax cross-entropy per step, in nats per character. Adam
 * with the gradient's norm clipped; samples drawn one character at a time with the cell's step,
 * before and after training, from the same seed.
 */
final class CharRnn {
  static final String DEFAULT_DATA = "/usr/share/dict/american-english";

  private CharRnn() {}

  /** The characters seen, in code order: character ↔ column of its one-hot row. */
  record Vocabulary(String chars) {
    static Vocabulary of(String text) {
      TreeSet<Character> seen = new TreeSet<>();
      for (int k = 0; k < text.length(); k++) {
        seen.add(text.charAt(k));
      }
      StringBuilder s = new StringBuilder();
      seen.forEach(s::append);
      return new Vocabulary(s.toString());
    }

    int size() {
      return chars.length();
    }

    int index(char c) {
      int i = chars.indexOf(c);
      if (i < 0) {
        throw new IllegalArgumentException("'" + c + "' is not in the vocabulary");
      }
      return i;
    }
  }

  /**
   * An LSTM over the steps and a linear layer from each step's h to the V logits of the next
   * character: N×(T·V) → N×(T·V).
   */
  static final class Model extends Module {
    final Recurrent lstm;
    final Linear head;
    final int vocabulary;

    Model(int vocabulary, int hidden, Random random) {
      this.vocabulary = vocabulary;
      this.lstm = module("lstm", new Recurrent(new LstmCell(vocabulary, hidden, random)));
      this.head = module("head", new Linear(hidden, vocabulary, random));
    }

    @Override
    public Node forward(Node X, Bindings p) {
      int hidden = lstm.cell().hiddenWidth();
      Node h = lstm.forward(X, p); // N×(T·hidden)
      int rows = h.rows() * h.cols() / hidden;
      // row-major: row n·T + t of the reshape is step t of sequence n
      return head.forward(h.reshape(rows, hidden), p).reshape(X.rows(), X.cols());
    }
  }

  /**
   * Softmax cross-entropy of each step's V logits against its one-hot target, averaged over the
   * N·T steps of a batch: output and Y N×(T·V) are read as (N·T)×V, row-major.
   */
  static Loss perStep(int vocabulary) {
    return new Loss() {
      @Override
      public String name() {
        return "softmax cross-entropy per step";
      }

      @Override
      public boolean fromLogits() {
        return true;
      }

      @Override
      public Node apply(Node output, Node Y) {
        int rows = output.rows() * output.cols() / vocabulary;
        return Losses.SOFTMAX_CROSS_ENTROPY_WITH_LOGITS.apply(output.reshape(rows, vocabulary),
            Y.reshape(rows, vocabulary));
      }
    };
  }

  static void run(String[] args, PrintStream out) throws IOException {
    Options o = new Options(args, Set.of("data", "out", "epochs", "hidden", "seq", "seed", "words",
        "batch", "lr", "decay", "temperature"));
    Path file = o.path("data", DEFAULT_DATA);
    Path outDir = o.path("out", "target/examples");
    int epochs = o.integer("epochs", 8);
    int hidden = o.integer("hidden", 128);
    int seq = o.integer("seq", 24);
    long seed = o.integer("seed", 42);
    int words = o.integer("words", 20000);
    int batch = o.integer("batch", 32);
    double lr = o.number("lr", 1e-2);
    double decay = o.number("decay", 0.8);
    double temperature = o.number("temperature", 0.7);
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("the word list is missing: " + file + " does not exist.\n"
          + "Install it with: sudo apt-get install wamerican\n"
          + "or pass --data FILE with any UTF-8 text, one word (or line) per line");
    }
    String text = sampleLines(file, words, seed);
    Vocabulary v = Vocabulary.of(text);
    Data all = sequences(text, v, seq);
    Data.Split split = all.split(0.1, seed);
    out.printf("%d words of %s (seeded sample), %d characters, V = %d characters seen%n",
        words, file, text.length(), v.size());
    out.printf("%d sequences of T = %d: %d to train on, %d held out; X and Y are N×(T·V) = N×%d%n",
        all.size(), seq, split.train().size(), split.validation().size(), seq * v.size());
    out.printf("for scale: a uniform guess costs ln V = %.3f nats per character, the characters' "
        + "frequencies alone %.3f%n", Math.log(v.size()), unigramEntropy(text));

    Model model = new Model(v.size(), hidden, new Random(seed));
    Loss loss = perStep(v.size());
    Trainer trainer = Trainer.builder(new Objective(loss, 0), Optimizer.adam(lr))
        .batchSize(batch).maxEpochs(epochs).seed(seed).schedule(Schedule.exponential(decay))
        .clipNorm(1).progress(true)
        .metric("held-out L", m -> loss.evaluate(m, split.validation()))
        .metric("held-out accuracy", m -> heldOutAccuracy(m, v.size(), split.validation()))
        .build();
    out.printf("model: LSTM %d → %d, then linear %d → %d (%d parameters); Adam α = %s (×%s after "
        + "each epoch), batch %d, gradient norm clipped to 1%n", v.size(), hidden, hidden, v.size(),
        model.size(), lr, decay, batch);
    out.println("sample before training: " + show(sample(model, v, 120, temperature,
        new Random(seed))));
    double before = loss.evaluate(model, split.validation());
    double guessed = heldOutAccuracy(model, v.size(), split.validation());
    History h = trainer.fit(model, split.train());
    out.println("epoch   train L   held-out L   held-out acc   seconds   (L in nats per character;"
        + " acc: next characters guessed)");
    out.printf("%5d   %7s   %10.4f   %12.4f%n", 0, "", before, guessed);
    double seconds = 0;
    for (History.Epoch e : h.epochs()) {
      out.printf("%5d   %7.4f   %10.4f   %12.4f   %7.1f%n", e.epoch(), e.L(),
          e.metrics().get("held-out L"), e.metrics().get("held-out accuracy"), e.seconds());
      seconds += e.seconds();
    }
    out.printf("held-out L %.4f → %.4f; %.1f s of training steps%n", before,
        h.last().metrics().get("held-out L"), seconds);
    out.println("sample after training:  " + show(sample(model, v, 120, temperature,
        new Random(seed))));
    out.println("wrote " + curve(h, before, outDir.resolve("char-rnn-loss.png")) + " and "
        + accuracyCurve(h, guessed, outDir.resolve("char-rnn-accuracy.png")));
  }

  /** count lines of file drawn at random (seeded) without replacement, each ended by '\n'. */
  static String sampleLines(Path file, int count, long seed) throws IOException {
    List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
    lines.removeIf(String::isEmpty);
    if (count <= 0 || count > lines.size()) {
      throw new IllegalArgumentException("--words must be in 1.." + lines.size() + " (the lines of "
          + file + "), got " + count);
    }
    Collections.shuffle(lines, new Random(seed));
    return String.join("\n", lines.subList(0, count)) + "\n";
  }

  /**
   * Non-overlapping windows of T characters, one a row, each character one-hot (X N×(T·V)); the
   * targets are the windows shifted by one character (Y N×(T·V)).
   */
  static Data sequences(String text, Vocabulary v, int steps) {
    if (steps <= 0 || steps >= text.length()) {
      throw new IllegalArgumentException("--seq must be in 1.." + (text.length() - 1)
          + " for a text of " + text.length() + " characters, got " + steps);
    }
    int n = (text.length() - 1) / steps;
    int V = v.size();
    DMatrixRMaj X = new DMatrixRMaj(n, steps * V);
    DMatrixRMaj Y = new DMatrixRMaj(n, steps * V);
    for (int i = 0; i < n; i++) {
      for (int t = 0; t < steps; t++) {
        X.set(i, t * V + v.index(text.charAt(i * steps + t)), 1);
        Y.set(i, t * V + v.index(text.charAt(i * steps + t + 1)), 1);
      }
    }
    return Data.of(X, Y);
  }

  /** −Σ p log p over the characters' frequencies in text, in nats. */
  static double unigramEntropy(String text) {
    java.util.Map<Character, Integer> counts = new java.util.HashMap<>();
    for (int k = 0; k < text.length(); k++) {
      counts.merge(text.charAt(k), 1, Integer::sum);
    }
    double h = 0;
    for (int c : counts.values()) {
      double p = c / (double) text.length();
      h -= p * Math.log(p);
    }
    return h;
  }

  /** The fraction of the held-out steps whose largest logit is the next character. */
  static double heldOutAccuracy(Module model, int vocabulary, Data data) {
    DMatrixRMaj z;
    try (Tape tape = new Tape()) {
      z = model.logits(tape.constant("X", data.X()), Bindings.constants(tape, model)).value()
          .copy();
    }
    DMatrixRMaj y = data.Y();
    long hits = 0;
    long steps = 0;
    for (int n = 0; n < z.numRows; n++) {
      for (int t = 0; t < z.numCols / vocabulary; t++) {
        int best = 0;
        int actual = -1;
        for (int c = 0; c < vocabulary; c++) {
          int col = t * vocabulary + c;
          if (z.get(n, col) > z.get(n, t * vocabulary + best)) {
            best = c;
          }
          if (y.get(n, col) == 1) {
            actual = c;
          }
        }
        if (actual >= 0) { // a step with a target
          hits += best == actual ? 1 : 0;
          steps++;
        }
      }
    }
    return hits / (double) steps;
  }

  /**
   * length characters drawn one at a time after a '\n' (the start of a word): each step feeds the
   * last character to the cell with the state carried over, and draws the next from
   * softmax(logits / temperature) with random.
   */
  static String sample(Model model, Vocabulary v, int length, double temperature, Random random) {
    if (!(temperature > 0)) {
      throw new IllegalArgumentException("--temperature must be > 0, got " + temperature);
    }
    RecurrentCell cell = model.lstm.cell();
    StringBuilder s = new StringBuilder();
    try (Tape tape = new Tape()) {
      Bindings p = Bindings.constants(tape, model);
      RecurrentCell.State state = cell.zeroState(tape, 1);
      int c = v.index('\n');
      for (int k = 0; k < length; k++) {
        DMatrixRMaj x = new DMatrixRMaj(1, v.size());
        x.set(0, c, 1);
        state = cell.step(tape.constant("x", x), state, p);
        DMatrixRMaj q = model.head.forward(state.h(), p).scale(1 / temperature).softmax().value();
        c = draw(q, random.nextDouble());
        s.append(v.chars().charAt(c));
      }
    }
    return s.toString();
  }

  /** The index where the running sum of the probabilities in q (1×V) first exceeds u. */
  static int draw(DMatrixRMaj q, double u) {
    double sum = 0;
    for (int j = 0; j < q.numCols; j++) {
      sum += q.get(0, j);
      if (u < sum) {
        return j;
      }
    }
    return q.numCols - 1; // u beyond a sum rounded below 1
  }

  /** The words of a sample on one line. */
  static String show(String sample) {
    return sample.replace('\n', ' ').strip();
  }

  /** The training L of each epoch and the held-out L from before training (epoch 0) on. */
  static Path curve(History h, double before, Path file) throws IOException {
    int n = h.epochs().size();
    double[] epoch = new double[n + 1];
    double[] train = new double[n];
    double[] heldOut = new double[n + 1];
    heldOut[0] = before;
    for (int i = 0; i < n; i++) {
      History.Epoch e = h.epochs().get(i);
      epoch[i + 1] = e.epoch();
      train[i] = e.L();
      heldOut[i + 1] = e.metrics().get("held-out L");
    }
    XYChart chart = Plots.chart("char-rnn: loss per character", "epoch",
        "L (nats per character)");
    chart.addSeries("training L (epoch mean)", java.util.Arrays.copyOfRange(epoch, 1, n + 1),
        train);
    chart.addSeries("held-out L (after the epoch)", epoch, heldOut);
    return Plots.png(chart, file);
  }

  /** The held-out accuracy from before training (epoch 0) on. */
  static Path accuracyCurve(History h, double before, Path file) throws IOException {
    int n = h.epochs().size();
    double[] epoch = new double[n + 1];
    double[] accuracy = new double[n + 1];
    accuracy[0] = before;
    for (int i = 0; i < n; i++) {
      epoch[i + 1] = h.epochs().get(i).epoch();
      accuracy[i + 1] = h.epochs().get(i).metrics().get("held-out accuracy");
    }
    XYChart chart = Plots.chart("char-rnn: next character guessed", "epoch", "accuracy");
    chart.addSeries("held-out accuracy (after the epoch)", epoch, accuracy);
    return Plots.png(chart, file);
  }
}
