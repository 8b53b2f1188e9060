package dev.autodiff.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileTest {
  @TempDir
  Path dir;

  final DMatrixRMaj X = Matrices.random(new Random(1), 5, 4);

  static Mlp model(long seed) {
    return Mlp.builder(4).hidden(6, Activation.RELU).hidden(3, Activation.TANH)
        .output(2, Activation.SOFTMAX).seed(seed).build();
  }

  static List<double[]> snapshot(Mlp m) {
    return m.parameters().stream().map(p -> p.value().data.clone()).toList();
  }

  static void assertSame(List<double[]> expected, Mlp m) {
    List<double[]> actual = snapshot(m);
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i), actual.get(i), 0);
    }
  }

  @Test
  void saveThenLoadGivesIdenticalPredictions() throws IOException {
    Mlp m = model(1);
    Path f = dir.resolve("model.bin");
    ModelFile.save(m, f);
    Mlp loaded = ModelFile.load(f);
    assertEquals(m.architecture(), loaded.architecture());
    assertArrayEquals(m.predict(X).data, loaded.predict(X).data, 0);
    assertSame(snapshot(m), loaded);
    try (var files = Files.list(dir)) {
      assertEquals(List.of(f), files.toList()); // no temporary file left behind
    }
  }

  @Test
  void loadIntoOverwritesAModelOfTheSameArchitecture() throws IOException {
    Path f = dir.resolve("model.bin");
    ModelFile.save(model(1), f);
    Mlp target = model(2);
    ModelFile.loadInto(f, target);
    assertArrayEquals(model(1).predict(X).data, target.predict(X).data, 0);
  }

  /** Every way a file can be bad, each rejected with its message and the model untouched. */
  @Test
  void badFilesAreRejectedAndTheModelIsUntouched() throws IOException {
    Path good = dir.resolve("good.bin");
    ModelFile.save(model(1), good);
    byte[] bytes = Files.readAllBytes(good);

    byte[] flipped = bytes.clone();
    flipped[bytes.length / 2] ^= 0x10;
    byte[] wrongMagic = bytes.clone();
    wrongMagic[0] = 'X';
    byte[] wrongVersion = withChecksum(bytes.clone(), 8, 3);

    assertRejected(Arrays.copyOf(bytes, bytes.length - 9), "checksum mismatch");
    assertRejected(Arrays.copyOf(bytes, 10), "shorter than the 16-byte header");
    assertRejected(new byte[0], "0 bytes");
    assertRejected(flipped, "truncated or corrupt");
    assertRejected(wrongMagic, "not a model file");
    assertRejected(wrongVersion, "format version 3 is not supported");

    Mlp other = Mlp.builder(4).hidden(5, Activation.RELU).output(2).seed(3).build();
    assertRejected(ModelFile.encode(other, null, null), "4-5(RELU)-2(IDENTITY)", "4-6(RELU)-3(TANH)-2(SOFTMAX)");

    NoSuchFileException missing = assertThrows(NoSuchFileException.class,
        () -> ModelFile.load(dir.resolve("absent.bin")));
    assertTrue(missing.getMessage().contains("absent.bin"), missing.getMessage());
  }

  /** Sets the int at offset and rewrites the trailing CRC32, so only that field is wrong. */
  static byte[] withChecksum(byte[] b, int offset, int value) {
    ByteBuffer.wrap(b).putInt(offset, value);
    CRC32 crc = new CRC32();
    crc.update(b, 0, b.length - 4);
    ByteBuffer.wrap(b).putInt(b.length - 4, (int) crc.getValue());
    return b;
  }

  @Test
  void aCorruptLayoutWithAValidChecksumIsRejected() throws IOException {
    byte[] bytes = Files.readAllBytes(save(model(1)));
    int architecture = 8 + 4 + 2 + Mlp.class.getName().length(); // after magic, version, class
    assertRejected(withChecksum(bytes.clone(), architecture + 4, 7), "layer 4 has unknown"); // layers
    assertRejected(withChecksum(bytes.clone(), architecture, -4), "corrupt header"); // inputs
    assertRejected(withChecksum(bytes.clone(), architecture + 8, 7), "the architecture"); // width
  }

  Path save(Mlp m) throws IOException {
    Path f = dir.resolve("m" + System.nanoTime() + ".bin");
    ModelFile.save(m, f);
    return f;
  }

  /** loadInto a model(5) fails naming the file and each expected text, leaving it untouched. */
  void assertRejected(byte[] content, String... expected) throws IOException {
    Path f = dir.resolve("bad.bin");
    Files.write(f, content);
    Mlp target = model(5);
    List<double[]> before = snapshot(target);
    ModelFileException e = assertThrows(ModelFileException.class,
        () -> ModelFile.loadInto(f, target));
    assertTrue(e.getMessage().contains("bad.bin"), e.getMessage());
    for (String x : expected) {
      assertTrue(e.getMessage().contains(x), e.getMessage());
    }
    assertSame(before, target);
  }

  @Test
  void anInterruptedSaveLeavesThePreviousFileIntact() throws IOException {
    Path f = dir.resolve("model.bin");
    ModelFile.save(model(1), f);
    byte[] previous = Files.readAllBytes(f);
    IOException e = assertThrows(IOException.class, () -> ModelFile.save(model(2), f,
        out -> new FilterOutputStream(out) {
          int written;

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len / 2);
            throw new IOException("disk full after " + (written += len / 2) + " bytes");
          }
        }));
    assertTrue(e.getMessage().contains("disk full"));
    assertArrayEquals(previous, Files.readAllBytes(f));
    try (var files = Files.list(dir)) {
      assertEquals(List.of(f), files.toList());
    }
    assertArrayEquals(model(1).predict(X).data, ModelFile.load(f).predict(X).data, 0);
  }

  @Test
  void saveReplacesAnExistingFile() throws IOException {
    Path f = dir.resolve("sub/model.bin");
    ModelFile.save(model(1), f);
    ModelFile.save(model(2), f);
    assertArrayEquals(model(2).predict(X).data, ModelFile.load(f).predict(X).data, 0);
  }


  /** Every file error names the path: a directory given for the model file, to load or to save. */
  @Test
  void aDirectoryIsRejectedNamingIt() {
    IOException e = assertThrows(IOException.class, () -> ModelFile.load(dir));
    assertEquals(dir + ": is a directory, not a model file", e.getMessage());
    e = assertThrows(IOException.class, () -> ModelFile.save(model(1), dir));
    assertEquals(dir + ": is a directory; give the path of the file to write",
        e.getMessage());
  }

  static Module pair(int hidden, long seed) {
    Random random = new Random(seed);
    return new Sequential(new Linear(4, hidden, random), Activation.TANH.layer(),
        new Linear(hidden, 2, random));
  }

  /** Any module's file: names, kinds and shapes must match, else nothing is written. */
  @Test
  void aModuleMustMatchTheFileByNameKindAndShape() throws IOException {
    Path f = dir.resolve("pair.bin");
    ModelFile.save(pair(3, 1), f);
    Module same = pair(3, 2);
    ModelFile.loadInto(f, same);
    assertArrayEquals(pair(3, 1).predict(X).data, same.predict(X).data, 0);

    Module wider = pair(5, 2);
    List<double[]> before = wider.parameters().stream().map(p -> p.value().data.clone()).toList();
    ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.loadInto(f,
        wider));
    assertTrue(e.getMessage().endsWith("the file's '0.W' is a 3×4 WEIGHT, the model's a 5×4 "
        + "WEIGHT"), e.getMessage());
    for (int i = 0; i < before.size(); i++) {
      assertArrayEquals(before.get(i), wider.parameters().get(i).value().data, 0);
    }
    e = assertThrows(ModelFileException.class, () -> ModelFile.loadInto(f, new Sequential(
        new Linear(4, 3, new Random(1)))));
    assertTrue(e.getMessage().contains("the file has a parameter '2.W' that the Sequential to "
        + "load into does not have"), e.getMessage());
    e = assertThrows(ModelFileException.class, () -> ModelFile.load(f));
    assertTrue(e.getMessage().contains("holds a dev.autodiff.nn.Sequential, not an Mlp"),
        e.getMessage());
  }

  /** The optimizer's steps, rate and moments go with the model: the next steps are identical. */
  @Test
  void optimizerStateIsSavedWithTheModel() throws IOException {
    DMatrixRMaj Y = Matrices.random(new Random(2), 5, 2);
    Objective o = new Objective(Losses.MEAN_SQUARED_ERROR, 0.01);
    Mlp a = model(1);
    Optimizer adam = Optimizer.adam(0.01);
    Trainer t = Trainer.builder(o, adam).batchSize(5).build();
    t.step(a, X, Y);
    t.step(a, X, Y);
    Path f = dir.resolve("with-adam.bin");
    ModelFile.save(a, adam, f);

    Mlp b = model(7);
    Optimizer again = Optimizer.adam(0.5);
    ModelFile.loadInto(f, b, again);
    assertEquals(2, again.steps());
    assertEquals(0.01, again.learningRate());
    Trainer u = Trainer.builder(o, again).batchSize(5).build();
    for (int k = 0; k < 3; k++) {
      t.step(a, X, Y);
      u.step(b, X, Y);
    }
    assertSame(snapshot(a), b);
    ModelFileException e = assertThrows(ModelFileException.class,
        () -> ModelFile.loadInto(save(model(1)), model(2), Optimizer.adam(0.1)));
    assertTrue(e.getMessage().contains("holds no optimizer state"), e.getMessage());
  }
}
