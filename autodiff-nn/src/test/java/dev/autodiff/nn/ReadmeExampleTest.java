package dev.autodiff.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autodiff.core.Node;
import dev.autodiff.core.Tape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Collectors;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The nn examples of the README and docs/NN.md, compiled and run; the pages show them verbatim. */
class ReadmeExampleTest {
  @TempDir
  Path dir;

  @Test
  void mlpExampleRuns() throws IOException {
    Random r = new Random(1);
    DMatrixRMaj trainX = Matrices.uniform(r, 64, 784, 0, 1);
    int[] trainLabels = r.ints(64, 0, 10).toArray();
    DMatrixRMaj testX = Matrices.uniform(r, 8, 784, 0, 1);
    Path file = dir.resolve("model.bin");
    // README:begin mlp
    Mlp model = Mlp.builder(784).hidden(256, Activation.RELU).output(10).seed(42).build();
    Trainer trainer = Trainer.builder(new Objective(Losses.SOFTMAX_CROSS_ENTROPY_WITH_LOGITS, 1e-4),
        Optimizer.adam(1e-3)).batchSize(32).maxEpochs(5).seed(1).progress(true).build();
    History history = trainer.fit(model, trainX, OneHot.encode(trainLabels, 10));

    double J = history.last().J();                 // L + s, averaged over the last epoch
    int[] predicted = model.classify(testX);       // the largest logit of each row
    ModelFile.save(model, file);                   // temporary file, then an atomic move
    Mlp again = ModelFile.load(file);              // checks magic, CRC32, version and sizes
    // README:end
    assertEquals(5, history.epochs().size());
    assertTrue(J < history.epochs().get(0).J());
    assertArrayEquals(predicted, again.classify(testX));
  }

  @Test
  void customModuleExampleRuns() throws IOException {
    Random r = new Random(3);
    DMatrixRMaj trainX = Matrices.uniform(r, 128, 784, 0, 1);
    int[] trainLabels = r.ints(128, 0, 10).toArray();
    Path file = dir.resolve("gated.model");
    // README:begin module
    class Gated extends Module {                       // parameters by path: a.W, a.b, g.W, …
      final Linear a = module("a", new Linear(784, 128, new Random(1)));
      final Linear g = module("g", new Linear(784, 128, new Random(2)));
      final Linear out = module("out", new Linear(128, 10, new Random(3)));

      public Node forward(Node X, Bindings p) {
        return out.forward(a.forward(X, p).tanh().mul(g.forward(X, p).sigmoid()), p);
      }
    }
    Module model = new Gated();
    History history = Trainer.builder(new Objective(Losses.SOFTMAX_CROSS_ENTROPY_WITH_LOGITS, 1e-4),
        Optimizer.adam(1e-3)).batchSize(64).maxEpochs(5).schedule(Schedule.cosine(5, 0.1)).build()
        .fit(model, Data.of(trainX, OneHot.encode(trainLabels, 10)));
    ModelFile.save(model, file);                       // by name, CRC32, written atomically
    // README:end
    assertEquals(java.util.List.of("a.W", "a.b", "g.W", "g.b", "out.W", "out.b"),
        java.util.List.copyOf(model.namedParameters().keySet()));
    assertTrue(history.last().J() < history.epochs().get(0).J());
    Module again = new Gated();
    again.parameters().forEach(q -> q.value().zero());
    ModelFile.loadInto(file, again);
    assertArrayEquals(model.predict(trainX).data, again.predict(trainX).data, 0);
  }

  @Test
  void layoutExampleRuns() {
    Random r = new Random(2);
    DMatrixRMaj xRows = Matrices.random(r, 4, 3);
    DMatrixRMaj wMatrix = Matrices.random(r, 2, 3);
    DMatrixRMaj bRow = Matrices.random(r, 1, 2);
    DMatrixRMaj xColumn = new DMatrixRMaj(3, 1, true, xRows.get(0, 0), xRows.get(0, 1),
        xRows.get(0, 2));
    DMatrixRMaj bColumn = new DMatrixRMaj(2, 1, true, bRow.data);
    // README:begin layout
    Tape tape = new Tape();
    Node W = tape.variable("W", wMatrix);                 // out×in, in both layouts

    // a batch, one example per row (seed 003, PyTorch): Z = X Wᵀ ⊕ b, X N×in, b 1×out
    Node Z = tape.constant("X", xRows).matmulTransB(W).add(tape.variable("b", bRow));

    // one example as a column (seeds 000, 001): z = W x + b, x in×1, b out×1
    Node z = W.matmul(tape.constant("x", xColumn)).add(tape.variable("c", bColumn));
    // README:end
    assertArrayEquals(Linear.apply(tape.constant(xRows), W, tape.constant(bRow)).value().data,
        Z.value().data, 0);
    // the column form gives the first row's numbers, transposed
    assertArrayEquals(z.value().data, new double[] {Z.value().get(0, 0), Z.value().get(0, 1)},
        1e-15);
  }

  @Test
  void recurrentExampleRuns() {
    int in = 5;
    int classes = 3;
    DMatrixRMaj x = Matrices.random(new Random(3), 1, in);
    // README:begin recurrent
    Random random = new Random(1);
    Recurrent lstm = new Recurrent(new LstmCell(in, 64, random));      // N×(T·in) → N×(T·64)
    Recurrent gru = new Recurrent(new GruCell(in, 64, random), Recurrent.Output.LAST); // N×64
    Module model = new Sequential(gru, new Linear(64, classes, random)); // trained as any Module

    // one step at a time, the state carried from step to step (as a sampler does)
    Tape tape = new Tape();
    RecurrentCell cell = lstm.cell();
    RecurrentCell.State s = cell.zeroState(tape, 1);
    s = cell.step(tape.constant("x", x), s, Bindings.constants(tape, lstm)); // h, c: 1×64
    // README:end
    assertEquals(64, s.h().cols());
    assertEquals(64, s.c().cols());
    assertArrayEquals(lstm.predict(x).data, s.h().value().data, 0);
    assertEquals(classes, model.predict(Matrices.random(random, 2, 4 * in)).numCols);
  }

  @Test
  void readmeShowsTheseExamplesVerbatim() throws IOException {
    String source = Files.readString(Path.of("src/test/java/dev/autodiff/nn/ReadmeExampleTest.java"));
    // the custom module is in the README, the MLP, the layouts and recurrent layers in docs/NN.md
    String readme = Files.readString(Path.of("../README.md"))
        + Files.readString(Path.of("../docs/NN.md"));
    for (String name : new String[] {"module", "mlp", "layout", "recurrent"}) {
      String begin = "// README:begin " + name + "\n";
      int from = source.indexOf(begin) + begin.length();
      String block = source.substring(from, source.indexOf("    // README:end", from));
      String expected = block.lines().map(l -> l.length() >= 4 ? l.substring(4) : l)
          .collect(Collectors.joining("\n"));
      assertTrue(readme.contains(expected), "README.md or docs/NN.md must contain, verbatim:\n" + expected);
    }
  }
}
