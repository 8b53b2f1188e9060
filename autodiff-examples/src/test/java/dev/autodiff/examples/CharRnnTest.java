package dev.autodiff.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.autodiff.core.Tape;
import dev.autodiff.nn.Data;
import dev.autodiff.nn.Losses;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CharRnnTest {
  @TempDir
  Path dir;

  /** A run of a tiny configuration (seconds), its printed text. */
  String run(long seed) throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    CharRnn.run(new String[] {"--words", "600", "--hidden", "16", "--seq", "8", "--batch", "16",
        "--epochs", "5", "--seed", String.valueOf(seed), "--out", dir.toString()},
        new PrintStream(buffer, true, StandardCharsets.UTF_8));
    return buffer.toString(StandardCharsets.UTF_8);
  }

  static List<String> samples(String text) {
    return text.lines().filter(l -> l.startsWith("sample")).toList();
  }

  @Test
  void aTinyRunOnTheWordListLowersTheLossAndSamplesReproducibly() throws IOException {
    assumeTrue(Files.isRegularFile(Path.of(CharRnn.DEFAULT_DATA)), CharRnn.DEFAULT_DATA
        + " is missing (Debian package wamerican): the example's run is not tested");
    String s = run(7);
    Matcher m = Pattern.compile("held-out L ([0-9.]+) → ([0-9.]+)").matcher(s);
    assertTrue(m.find(), s);
    double before = Double.parseDouble(m.group(1));
    double after = Double.parseDouble(m.group(2));
    // from about ln V (a uniform guess) to below the characters' frequencies alone
    assertTrue(after < 0.75 * before, before + " → " + after + "\n" + s);
    assertEquals(2, samples(s).size(), s);
    assertEquals(samples(s), samples(run(7)), "same seed, same samples");
    assertNotEquals(samples(s), samples(run(8)));
    ExamplesTest.assertPng(dir.resolve("char-rnn-loss.png"));
    ExamplesTest.assertPng(dir.resolve("char-rnn-accuracy.png"));
    // more next characters guessed after training than before
    List<Double> accuracy = new java.util.ArrayList<>();
    for (String line : s.lines().filter(l -> l.matches("\\s+\\d+\\s.*")).toList()) {
      String[] t = line.trim().split("\\s+"); // epoch 0: epoch, L, acc; then also train L, s
      accuracy.add(Double.parseDouble(t.length == 3 ? t[2] : t[3]));
    }
    assertEquals(6, accuracy.size(), s); // epochs 0 to 5
    assertTrue(accuracy.get(5) > accuracy.get(0) + 0.1, accuracy + "\n" + s);
  }

  /** Steps whose largest logit is the one-hot target's column, over the steps with a target. */
  @Test
  void accuracyCountsTheNextCharactersGuessed() {
    dev.autodiff.nn.Module logits = dev.autodiff.nn.Module.of("given", x -> x);
    // one sequence of 2 steps over V = 3: the first step guessed (column 1), the second not
    DMatrixRMaj z = new DMatrixRMaj(1, 6, true, 0.1, 0.9, 0.0, 0.5, 0.2, 0.3);
    DMatrixRMaj y = new DMatrixRMaj(1, 6, true, 0, 1, 0, 0, 0, 1);
    assertEquals(0.5, CharRnn.heldOutAccuracy(logits, 3, dev.autodiff.nn.Data.of(z, y)), 0);
  }

  @Test
  void theMissingWordListNamesTheDebianPackage() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> CharRnn.run(new String[] {"--data", dir.resolve("none").toString()},
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().contains("apt-get install wamerican"), e.getMessage());
  }

  @Test
  void sequencesAreOneHotWindowsAndTheTargetsTheNextCharacters() throws IOException {
    Path words = Files.writeString(dir.resolve("words"), "ab\nba\n");
    String text = CharRnn.sampleLines(words, 2, 1);
    assertTrue(text.equals("ab\nba\n") || text.equals("ba\nab\n"), text);
    CharRnn.Vocabulary v = CharRnn.Vocabulary.of("ab\nba\n");
    assertEquals("\nab", v.chars());
    Data d = CharRnn.sequences("ab\nba\n", v, 2); // windows "ab", "\nb"; targets "b\n", "ba"
    assertEquals(2, d.size());
    assertEquals(Arrays.toString(new double[] {0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1}),
        Arrays.toString(d.X().data));
    assertEquals(Arrays.toString(new double[] {0, 0, 1, 1, 0, 0, 0, 0, 1, 0, 1, 0}),
        Arrays.toString(d.Y().data));
  }

  /** The loss per step is the softmax cross-entropy of the (N·T)×V rows: the mean over steps. */
  @Test
  void theLossPerStepIsTheMeanOverEveryStepOfEverySequence() {
    int N = 3;
    int T = 4;
    int V = 5;
    Random r = new Random(1);
    DMatrixRMaj Z = new DMatrixRMaj(N, T * V);
    DMatrixRMaj Y = new DMatrixRMaj(N, T * V);
    double expected = 0;
    for (int n = 0; n < N; n++) {
      for (int t = 0; t < T; t++) {
        int target = r.nextInt(V);
        Y.set(n, t * V + target, 1);
        double sum = 0;
        for (int j = 0; j < V; j++) {
          Z.set(n, t * V + j, 2 * r.nextDouble() - 1);
          sum += Math.exp(Z.get(n, t * V + j));
        }
        expected += Math.log(sum) - Z.get(n, t * V + target);
      }
    }
    try (Tape tape = new Tape()) {
      double L = CharRnn.perStep(V).apply(tape.constant("Z", Z), tape.constant("Y", Y)).scalar();
      assertEquals(expected / (N * T), L, 1e-14);
      assertTrue(CharRnn.perStep(V).fromLogits());
      assertEquals(L, Losses.SOFTMAX_CROSS_ENTROPY_WITH_LOGITS.apply(
          tape.constant(reshaped(Z, N * T, V)), tape.constant(reshaped(Y, N * T, V))).scalar(),
          0);
    }
  }

  static DMatrixRMaj reshaped(DMatrixRMaj m, int rows, int cols) {
    DMatrixRMaj r = m.copy();
    r.reshape(rows, cols, true);
    return r;
  }

  @Test
  void drawingPicksTheFirstIndexWhoseRunningSumExceedsU() {
    DMatrixRMaj q = new DMatrixRMaj(1, 3, true, 0.2, 0.5, 0.3);
    assertEquals(0, CharRnn.draw(q, 0.1));
    assertEquals(1, CharRnn.draw(q, 0.2));
    assertEquals(2, CharRnn.draw(q, 0.75));
    assertEquals(2, CharRnn.draw(q, 1 - 1e-17));
  }
}
