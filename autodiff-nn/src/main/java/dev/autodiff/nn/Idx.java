package dev.autodiff.nn;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.ejml.data.DMatrixRMaj;

/**
 * Reads IDX files of unsigned bytes (the MNIST and Fashion-MNIST format), gzip-compressed or not:
 * a magic of 0x00 0x00, the type 0x08, the number of dimensions, each dimension as a big-endian int,
 * then the data. A missing, truncated or corrupt file throws an {@link IOException} naming it, and
 * so does a header announcing more (or less) data than the file holds, before anything that size
 * is allocated.
 */
public final class Idx {
  private Idx() {}

  /** Images N×rows×cols as an N×(rows·cols) matrix, one image per row, scaled to [0, 1]. */
  public static DMatrixRMaj readImages(Path path) throws IOException {
    Array a = read(path, 3);
    int n = a.dims[0];
    int size = a.dims[1] * a.dims[2];
    DMatrixRMaj X = new DMatrixRMaj(n, size);
    for (int k = 0; k < a.data.length; k++) {
      X.data[k] = (a.data[k] & 0xff) / 255.0;
    }
    return X;
  }

  /** Labels, one per example. */
  public static int[] readLabels(Path path) throws IOException {
    Array a = read(path, 1);
    int[] labels = new int[a.dims[0]];
    for (int k = 0; k < labels.length; k++) {
      labels[k] = a.data[k] & 0xff;
    }
    return labels;
  }

  /** The dimensions and raw bytes of an IDX file. */
  record Array(int[] dims, byte[] data) {}

  static Array read(Path path, int expectedDims) throws IOException {
    if (Files.isDirectory(path)) {
      throw new IOException(path + ": is a directory, not an IDX file");
    }
    if (!Files.isRegularFile(path)) {
      throw new NoSuchFileException(path.toString(), null, "no IDX file here");
    }
    long length = Files.size(path);
    boolean gzip = isGzip(path);
    try (DataInputStream in = new DataInputStream(open(path))) {
      int magic;
      try {
        magic = in.readInt();
      } catch (EOFException e) {
        throw new IOException(path + ": not an IDX file (shorter than its 4-byte magic)");
      }
      int type = (magic >>> 8) & 0xff;
      int dims = magic & 0xff;
      if ((magic >>> 16) != 0 || type != 0x08) {
        throw new IOException(String.format(
            "%s: not an IDX file of unsigned bytes (magic %08x, expected 000008%02x)", path, magic,
            expectedDims));
      }
      if (dims != expectedDims) {
        throw new IOException(path + ": has " + dims + " dimensions, expected " + expectedDims);
      }
      int[] d = new int[dims];
      long total = 1;
      for (int i = 0; i < dims; i++) {
        try {
          d[i] = in.readInt();
        } catch (EOFException e) {
          throw new IOException(path + ": truncated in its header (dimension " + (i + 1) + ")");
        }
        if (d[i] < 0) {
          throw new IOException(path + ": dimension " + (i + 1) + " is negative: " + d[i]);
        }
        try {
          total = Math.multiplyExact(total, d[i]);
        } catch (ArithmeticException e) {
          throw new IOException(path + ": its dimensions " + describe(d, i + 1)
              + " multiply past 2⁶³ entries");
        }
      }
      // a plain file's length is checked against the header before anything that size is
      // allocated; a gzip stream is read into a buffer that grows only with what arrives
      long holds = length - (4 + 4L * dims);
      if (!gzip && holds < total) {
        throw new IOException(path + ": truncated: the header announces " + total
            + " bytes of data, the file has " + Math.max(holds, 0));
      }
      if (!gzip && holds > total) {
        throw new IOException(path + ": has bytes after the " + total + " its header announces");
      }
      if (total > Integer.MAX_VALUE - 8) {
        throw new IOException(path + ": " + total + " entries are too many for one array");
      }
      byte[] data = readAtMost(in, (int) total);
      if (data.length < total) {
        throw new IOException(path + ": truncated: the header announces " + total
            + " bytes of data, the file has " + data.length);
      }
      if (in.read() != -1) {
        throw new IOException(path + ": has bytes after the " + total + " its header announces");
      }
      return new Array(d, data);
    } catch (ZipException | EOFException e) {
      throw new IOException(path + ": corrupt or truncated gzip data (" + e.getMessage() + ")", e);
    }
  }

  /** "60000×28×28": the first n dimensions. */
  private static String describe(int[] d, int n) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < n; i++) {
      s.append(i > 0 ? "×" : "").append(d[i]);
    }
    return s.toString();
  }

  /**
   * Up to n bytes, in a buffer that grows with what arrives rather than one of the n announced: a
   * header that lies about its size cannot make the reader allocate what the file does not hold.
   */
  private static byte[] readAtMost(InputStream in, int n) throws IOException {
    byte[] data = new byte[Math.min(n, 1 << 20)];
    int filled = 0;
    while (filled < n) {
      if (filled == data.length) {
        data = Arrays.copyOf(data, (int) Math.min(n, 2L * data.length));
      }
      int r = in.read(data, filled, data.length - filled);
      if (r < 0) {
        break;
      }
      filled += r;
    }
    return filled == data.length ? data : Arrays.copyOf(data, filled);
  }

  /** True when the file starts with gzip's magic 1f 8b. */
  private static boolean isGzip(Path path) throws IOException {
    try (InputStream in = Files.newInputStream(path)) {
      return in.read() == 0x1f && in.read() == 0x8b;
    }
  }

  /** Gunzips when the file starts with gzip's magic 1f 8b. */
  private static InputStream open(Path path) throws IOException {
    InputStream raw = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
    raw.mark(2);
    int b0 = raw.read();
    int b1 = raw.read();
    raw.reset();
    if (b0 == 0x1f && b1 == 0x8b) {
      return new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
    }
    return raw;
  }
}
