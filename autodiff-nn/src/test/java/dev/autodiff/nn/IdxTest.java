package dev.autodiff.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {
  @TempDir
  Path dir;

  /** An IDX file of unsigned bytes with the given dimensions and data. */
  static byte[] idx(int[] dims, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
    b.putInt(0x00000800 | dims.length);
    for (int d : dims) {
      b.putInt(d);
    }
    return b.put(data).array();
  }

  static byte[] gzip(byte[] raw) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(raw);
    }
    return out.toByteArray();
  }

  Path write(String name, byte[] content) throws IOException {
    return Files.write(dir.resolve(name), content);
  }

  // two 2×3 images, pixel values 0, 51, …, 255 and one of each byte's high range
  static final byte[] PIXELS = {0, 51, 102, (byte) 153, (byte) 204, (byte) 255,
      (byte) 255, 0, 1, 2, 3, (byte) 128};

  @Test
  void readsGzippedAndPlainImagesAndLabels() throws IOException {
    byte[] images = idx(new int[] {2, 2, 3}, PIXELS);
    for (Path f : new Path[] {write("img.gz", gzip(images)), write("img", images)}) {
      DMatrixRMaj X = Idx.readImages(f);
      assertEquals(2, X.numRows);
      assertEquals(6, X.numCols);
      assertArrayEquals(new double[] {0, 0.2, 0.4, 0.6, 0.8, 1}, Arrays.copyOf(X.data, 6), 1e-15);
      assertEquals(128 / 255.0, X.get(1, 5), 1e-15);
    }
    int[] labels = Idx.readLabels(write("lab.gz", gzip(idx(new int[] {3}, new byte[] {9, 0, 4}))));
    assertArrayEquals(new int[] {9, 0, 4}, labels);
  }

  @Test
  void badFilesAreRejectedNamingTheFile() throws IOException {
    byte[] images = idx(new int[] {2, 2, 3}, PIXELS);
    byte[] gz = gzip(images);
    rejected(write("trunc", Arrays.copyOf(images, images.length - 1)),
        "truncated: the header announces 12 bytes of data, the file has 11");
    rejected(write("trunc.gz", gzip(Arrays.copyOf(images, images.length - 5))), "truncated");
    rejected(write("cut.gz", Arrays.copyOf(gz, gz.length - 12)), "corrupt or truncated gzip");
    byte[] garbled = gz.clone();
    garbled[gz.length / 2] ^= 0x55;
    garbled[gz.length / 2 + 1] ^= 0x55;
    rejected(write("garbled.gz", garbled), "corrupt");
    rejected(write("header", Arrays.copyOf(images, 7)), "truncated in its header");
    rejected(write("tiny", new byte[] {0, 0}), "shorter than its 4-byte magic");
    byte[] magic = images.clone();
    magic[2] = 0x0D; // type float
    rejected(write("magic", magic), "not an IDX file of unsigned bytes (magic 00000d03");
    rejected(write("labels-as-images", idx(new int[] {3}, new byte[] {1, 2, 3})),
        "has 1 dimensions, expected 3");
    byte[] extra = Arrays.copyOf(images, images.length + 2);
    rejected(write("extra", extra), "bytes after the 12");
    NoSuchFileException e = assertThrows(NoSuchFileException.class,
        () -> Idx.readImages(dir.resolve("missing.gz")));
    assertTrue(e.getMessage().contains("missing.gz"), e.getMessage());
  }

  /**
   * A header that lies about its size is rejected before anything that size is allocated: a
   * 58-byte labels file whose count has one bit flipped (over a billion labels), dimensions whose
   * product passes 2⁶⁴, and the same lies gzipped, which are read only as far as the data goes.
   */
  @Test
  void aHeaderIsCheckedAgainstTheFileBeforeItIsBelieved() throws IOException {
    byte[] labels = idx(new int[] {50}, new byte[50]);
    assertEquals(58, labels.length);
    labels[4] ^= 0x40; // bit 30 of the count: 50 becomes 1,073,741,874
    int announced = ByteBuffer.wrap(labels, 4, 4).getInt();
    assertTrue(announced > 1_000_000_000, "announces " + announced);
    Path flipped = write("flipped", labels);
    Path flippedGz = write("flipped.gz", gzip(labels));
    com.sun.management.ThreadMXBean memory =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long allocated = memory.getCurrentThreadAllocatedBytes();
    IOException e = assertThrows(IOException.class, () -> Idx.readLabels(flipped));
    assertEquals(flipped + ": truncated: the header announces " + announced
        + " bytes of data, the file has 50", e.getMessage());
    e = assertThrows(IOException.class, () -> Idx.readLabels(flippedGz));
    assertTrue(e.getMessage().startsWith(flippedGz + ": truncated: the header announces "
        + announced + " bytes of data, the file has 50"), e.getMessage());
    allocated = memory.getCurrentThreadAllocatedBytes() - allocated;
    assertTrue(allocated < 16 << 20, "reading both allocated " + allocated + " bytes");

    byte[] huge = idx(new int[] {1 << 22, 1 << 21, 1 << 21}, new byte[0]);
    for (Path f : new Path[] {write("huge", huge), write("huge.gz", gzip(huge))}) {
      e = assertThrows(IOException.class, () -> Idx.readImages(f));
      assertEquals(f + ": its dimensions 4194304×2097152×2097152 multiply past 2⁶³ entries",
          e.getMessage());
    }
  }

  @Test
  void aDirectoryIsRejectedNamingIt() {
    IOException e = assertThrows(IOException.class, () -> Idx.readImages(dir));
    assertEquals(dir + ": is a directory, not an IDX file", e.getMessage());
  }

  static void rejected(Path f, String expected) {
    IOException e = assertThrows(IOException.class, () -> Idx.readImages(f));
    assertTrue(e.getMessage().contains(expected) && e.getMessage().contains(f.toString()),
        e.getMessage());
  }
}
