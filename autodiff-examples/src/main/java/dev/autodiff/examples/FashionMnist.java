package dev.autodiff.examples;

import dev.autodiff.nn.Activation;
import dev.autodiff.nn.Data;
import dev.autodiff.nn.History;
import dev.autodiff.nn.Idx;
import dev.autodiff.nn.Losses;
import dev.autodiff.nn.Mlp;
import dev.autodiff.nn.ModelFile;
import dev.autodiff.nn.Objective;
import dev.autodiff.nn.OneHot;
import dev.autodiff.nn.Optimizer;
import dev.autodiff.nn.Schedule;
import dev.autodiff.nn.Trainer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/**
 * Fashion-MNIST: a 784-256-10 relu MLP trained with Adam on softmax cross-entropy (α = 2·10⁻³,
 * halved after each epoch, batch 32), test accuracy after every epoch, loss and accuracy curves as
 * PNG, and the model saved and loaded back.
 */
final class FashionMnist {
  static final String DEFAULT_DATA = "/usr/share/datasets/fashion-mnist";
  static final String[] FILES = {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
      "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"};

  private FashionMnist() {}

  static void run(String[] args, PrintStream out) throws IOException {
    Options o = new Options(args, Set.of("data", "out", "epochs", "batch", "lr", "decay",
        "lambda", "seed"));
    Path data = o.path("data", DEFAULT_DATA);
    Path outDir = o.path("out", "target/examples");
    int epochs = o.integer("epochs", 5);
    int batch = o.integer("batch", 32);
    double lr = o.number("lr", 2e-3);
    double decay = o.number("decay", 0.5);
    double lambda = o.number("lambda", 0);
    long seed = o.integer("seed", 42);
    Images images = Images.read(data);
    DMatrixRMaj trainX = images.trainX();
    int[] trainLabels = images.trainLabels();
    DMatrixRMaj testX = images.testX();
    int[] testLabels = images.testLabels();
    Data test = Data.of(testX, OneHot.encode(testLabels, 10));
    // training accuracy on as many training images as there are test images: same cost
    int seen = Math.min(trainX.numRows, testX.numRows);
    DMatrixRMaj seenX = CommonOps_DDRM.extract(trainX, 0, seen, 0, trainX.numCols);
    int[] seenLabels = Arrays.copyOf(trainLabels, seen);
    out.printf("Fashion-MNIST from %s: %d training and %d test images of %d pixels%n", data,
        trainX.numRows, testX.numRows, trainX.numCols);

    Mlp model = Mlp.builder(784).hidden(256, Activation.RELU).output(10).seed(seed).build();
    Trainer trainer = Trainer.builder(
            new Objective(Losses.SOFTMAX_CROSS_ENTROPY_WITH_LOGITS, lambda), Optimizer.adam(lr))
        .batchSize(batch).maxEpochs(epochs).seed(seed).schedule(Schedule.exponential(decay)).progress(true)
        .metric("test accuracy", m -> OneHot.accuracy(m.classify(testX), testLabels))
        .metric("train accuracy", m -> OneHot.accuracy(m.classify(seenX), seenLabels))
        .metric("test loss", m -> Losses.SOFTMAX_CROSS_ENTROPY_WITH_LOGITS.evaluate(m, test))
        .build();
    out.printf("model %s, Adam α = %s (×%s after each epoch), batch %d, λ = %s, %d epochs%n",
        model.architecture(), lr, decay, batch, lambda, epochs);
    History h = trainer.fit(model, trainX, OneHot.encode(trainLabels, 10));
    out.printf("(train acc: on the first %d training images; seconds: the epoch's steps, without "
        + "evaluation)%n", seen);
    out.println("epoch    train L    train J     test L   train acc   test acc   seconds");
    for (History.Epoch e : h.epochs()) {
      out.printf("%5d  %9.5f  %9.5f  %9.5f   %8.4f   %8.4f   %7.1f%n", e.epoch(), e.L(), e.J(),
          e.metrics().get("test loss"), e.metrics().get("train accuracy"),
          e.metrics().get("test accuracy"), e.seconds());
    }
    out.printf("test accuracy after %d epochs: %.2f%%%n", h.epochs().size(),
        100 * h.last().metrics().get("test accuracy"));
    out.println("wrote " + curves(h, outDir, "fashion-mnist"));

    Path file = outDir.resolve("fashion-mnist.model");
    ModelFile.save(model, file);
    Mlp loaded = ModelFile.load(file);
    double reloaded = OneHot.accuracy(loaded.classify(testX), testLabels);
    out.printf("saved the model to %s (%d bytes) and loaded it back: test accuracy %.2f%%%n", file,
        Files.size(file), 100 * reloaded);
  }

  /** The four files of Fashion-MNIST, pixels scaled to [0, 1]. */
  record Images(DMatrixRMaj trainX, int[] trainLabels, DMatrixRMaj testX, int[] testLabels) {
    /** Reads the IDX files from data, checking they are there and their counts agree. */
    static Images read(Path data) throws IOException {
      for (String f : FILES) {
        if (!Files.isRegularFile(data.resolve(f))) {
          throw new IllegalStateException("Fashion-MNIST not found: " + data.resolve(f)
              + " is missing.\nInstall it with: sudo apt-get install dataset-fashion-mnist\n"
              + "or pass --data DIR with the four IDX files (" + String.join(", ", FILES) + ")");
        }
      }
      Images i = new Images(Idx.readImages(data.resolve(FILES[0])),
          Idx.readLabels(data.resolve(FILES[1])), Idx.readImages(data.resolve(FILES[2])),
          Idx.readLabels(data.resolve(FILES[3])));
      checkCounts(data, "train", i.trainX(), i.trainLabels());
      checkCounts(data, "t10k", i.testX(), i.testLabels());
      return i;
    }
  }

  private static void checkCounts(Path data, String set, DMatrixRMaj X, int[] labels) {
    if (X.numRows != labels.length) {
      throw new IllegalStateException(data + ": " + set + "-images has " + X.numRows
          + " images but " + set + "-labels has " + labels.length + " labels");
    }
  }

  /** Loss and accuracy per epoch as two PNGs, NAME-loss.png and NAME-accuracy.png, in dir. */
  static List<Path> curves(History h, Path dir, String name) throws IOException {
    double[] epoch = h.epochs().stream().mapToDouble(History.Epoch::epoch).toArray();
    XYChart loss = new XYChartBuilder().width(640).height(400).title(name + ": loss")
        .xAxisTitle("epoch").yAxisTitle("L (softmax cross-entropy)").build();
    loss.addSeries("training L (epoch mean)", epoch,
        h.epochs().stream().mapToDouble(History.Epoch::L).toArray());
    loss.addSeries("test L (after the epoch)", epoch,
        h.epochs().stream().mapToDouble(e -> e.metrics().get("test loss")).toArray());
    XYChart acc = new XYChartBuilder().width(640).height(400).title(name + ": accuracy")
        .xAxisTitle("epoch").yAxisTitle("accuracy").build();
    for (String m : List.of("train accuracy", "test accuracy")) {
      acc.addSeries(m, epoch, h.epochs().stream().mapToDouble(e -> e.metrics().get(m)).toArray());
    }
    return List.of(Plots.png(loss, dir.resolve(name + "-loss.png")),
        Plots.png(acc, dir.resolve(name + "-accuracy.png")));
  }
}
