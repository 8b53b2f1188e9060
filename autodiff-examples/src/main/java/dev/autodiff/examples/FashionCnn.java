package dev.autodiff.examples;

import dev.autodiff.core.Image;
import dev.autodiff.core.Tape;
import dev.autodiff.nn.Activation;
import dev.autodiff.nn.Bindings;
import dev.autodiff.nn.Conv2d;
import dev.autodiff.nn.Data;
import dev.autodiff.nn.Flatten;
import dev.autodiff.nn.History;
import dev.autodiff.nn.Linear;
import dev.autodiff.nn.Losses;
import dev.autodiff.nn.MaxPool2d;
import dev.autodiff.nn.Mlp;
import dev.autodiff.nn.ModelFile;
import dev.autodiff.nn.Module;
import dev.autodiff.nn.Objective;
import dev.autodiff.nn.OneHot;
import dev.autodiff.nn.Optimizer;
import dev.autodiff.nn.Sequential;
import dev.autodiff.nn.Trainer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * Fashion-MNIST with a small LeNet-style CNN: two 3×3 convolutions (16 and 32 channels, each with
 * relu and 2×2 max pooling), a 128-unit relu layer and 10 logits, trained with Adam on softmax
 * cross-entropy; test accuracy and loss after every epoch, curves as PNG, the epoch time beside
 * one epoch of the 784-256-10 MLP of the fashion-mnist example, and the model saved and loaded.
 */
final class FashionCnn {
  /** Rows per forward pass when evaluating: a conv layer's output for 10,000 images is 1 GB. */
  static final int CHUNK = 1000;

  private FashionCnn() {}

  /** The network, its parameters drawn from seed. */
  static Sequential model(long seed) {
    Random random = new Random(seed);
    Image in = new Image(1, 28, 28);
    Conv2d conv1 = new Conv2d(in, 16, 3, 1, 1, random);
    MaxPool2d pool1 = new MaxPool2d(conv1.out(), 2, 2);
    Conv2d conv2 = new Conv2d(pool1.out(), 32, 3, 1, 1, random);
    MaxPool2d pool2 = new MaxPool2d(conv2.out(), 2, 2);
    Flatten flatten = new Flatten(pool2.out());
    return new Sequential(conv1, Activation.RELU.layer(), pool1, conv2, Activation.RELU.layer(),
        pool2, flatten, Linear.he(flatten.out(), 128, random), Activation.RELU.layer(),
        new Linear(128, 10, random));
  }

  static void run(String[] args, PrintStream out) throws IOException {
    Options o = new Options(args, Set.of("data", "out", "epochs", "batch", "lr", "seed", "train",
        "test", "compare"));
    Path data = o.path("data", FashionMnist.DEFAULT_DATA);
    Path outDir = o.path("out", "target/examples");
    int epochs = o.integer("epochs", 10);
    int batch = o.integer("batch", 64);
    double lr = o.number("lr", 1e-3);
    long seed = o.integer("seed", 42);
    FashionMnist.Images images = FashionMnist.Images.read(data);
    int train = Math.min(o.integer("train", images.trainX().numRows), images.trainX().numRows);
    DMatrixRMaj trainX = CommonOps_DDRM.extract(images.trainX(), 0, train, 0, 784);
    int[] trainLabels = Arrays.copyOf(images.trainLabels(), train);
    int test = Math.min(o.integer("test", images.testX().numRows), images.testX().numRows);
    DMatrixRMaj testX = CommonOps_DDRM.extract(images.testX(), 0, test, 0, 784);
    int[] testLabels = Arrays.copyOf(images.testLabels(), test);
    int seen = Math.min(train, testX.numRows);
    DMatrixRMaj seenX = CommonOps_DDRM.extract(trainX, 0, seen, 0, 784);
    int[] seenLabels = Arrays.copyOf(trainLabels, seen);
    Data trainSet = Data.of(trainX, OneHot.encode(trainLabels, 10));
    out.printf("Fashion-MNIST from %s: %d training and %d test images%n", data, train,
        testX.numRows);

    Sequential model = model(seed);
    out.println(model);
    out.printf("%,d parameters; Adam α = %s, batch %d, %d epochs, seed %d%n", model.size(), lr,
        batch, epochs, seed);
    Trainer trainer = trainer(lr, batch, epochs, seed)
        .metric("test accuracy", m -> accuracy(m, testX, testLabels))
        .metric("train accuracy", m -> accuracy(m, seenX, seenLabels))
        .metric("test loss", m -> loss(m, testX, testLabels))
        .build();
    History h = trainer.fit(model, trainSet);
    out.printf("(train acc: on the first %d training images; seconds: the epoch's steps, without "
        + "evaluation)%n", seen);
    out.println("epoch    train L     test L   train acc   test acc   seconds");
    for (History.Epoch e : h.epochs()) {
      out.printf("%5d  %9.5f  %9.5f   %8.4f   %8.4f   %7.1f%n", e.epoch(), e.L(),
          e.metrics().get("test loss"), e.metrics().get("train accuracy"),
          e.metrics().get("test accuracy"), e.seconds());
    }
    out.printf("test accuracy after %d epochs: %.2f%%%n", h.epochs().size(),
        100 * h.last().metrics().get("test accuracy"));
    out.println("wrote " + FashionMnist.curves(h, outDir, "fashion-cnn"));

    if (o.integer("compare", 1) != 0) {
      double cnn = h.epochs().stream().mapToDouble(History.Epoch::seconds).average().orElse(0);
      Mlp mlp = Mlp.builder(784).hidden(256, Activation.RELU).output(10).seed(seed).build();
      double seconds = trainer(lr, batch, 1, seed).build().fit(mlp, trainSet).last().seconds();
      out.printf("epoch time: CNN %.1f s, the 784-256-10 MLP %.1f s (%.1f×), same data and batch%n",
          cnn, seconds, cnn / seconds);
    }

    Path file = outDir.resolve("fashion-cnn.model");
    ModelFile.save(model, file);
    Sequential loaded = model(seed + 1);
    ModelFile.loadInto(file, loaded);
    out.printf("saved the model to %s (%,d bytes) and loaded it into a new one: test accuracy "
        + "%.2f%%%n", file, Files.size(file), 100 * accuracy(loaded, testX, testLabels));
  }

  private static Trainer.Builder trainer(double lr, int batch, int epochs, long seed) {
    return Trainer.builder(new Objective(Losses.SOFTMAX_CROSS_ENTROPY_WITH_LOGITS, 0),
            Optimizer.adam(lr))
        .batchSize(batch).maxEpochs(epochs).seed(seed).progress(true);
  }

  /** The fraction of rows of X classified as their label, a chunk of rows at a time. */
  static double accuracy(Module model, DMatrixRMaj X, int[] labels) {
    int hits = 0;
    for (int from = 0; from < X.numRows; from += CHUNK) {
      int to = Math.min(X.numRows, from + CHUNK);
      int[] c = model.classify(CommonOps_DDRM.extract(X, from, to, 0, X.numCols));
      for (int i = 0; i < c.length; i++) {
        hits += c[i] == labels[from + i] ? 1 : 0;
      }
    }
    return hits / (double) X.numRows;
  }

  /** The mean softmax cross-entropy over the rows of X, a chunk of rows at a time. */
  static double loss(Module model, DMatrixRMaj X, int[] labels) {
    double sum = 0;
    for (int from = 0; from < X.numRows; from += CHUNK) {
      int to = Math.min(X.numRows, from + CHUNK);
      try (Tape tape = new Tape()) {
        DMatrixRMaj x = CommonOps_DDRM.extract(X, from, to, 0, X.numCols);
        DMatrixRMaj y = OneHot.encode(Arrays.copyOfRange(labels, from, to), 10);
        sum += (to - from) * Losses.SOFTMAX_CROSS_ENTROPY_WITH_LOGITS.apply(
            model.logits(tape.constant("X", x), Bindings.constants(tape, model)),
            tape.constant("Y", y)).value().get(0, 0);
      }
    }
    return sum / X.numRows;
  }
}
