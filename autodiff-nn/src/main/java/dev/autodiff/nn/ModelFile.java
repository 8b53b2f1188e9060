package dev.autodiff.nn;

import static com.google.common.base.Preconditions.checkNotNull;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.BufferUnderflowException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32;
import org.ejml.data.DMatrixRMaj;

/**
 * An MLP in one file: architecture and parameters, big-endian.
 *
 * <pre>
 * magic "ADMLP\0\0\1" (8 bytes) · format version (int) · inputs (int) · layer count (int) ·
 * per layer: width (int), activation name (UTF) · per layer: W (out×in doubles), b (out doubles) ·
 * CRC32 of everything before it (int)
 * </pre>
 *
 * <p>{@link #save} writes a temporary file beside the target, forces it to disk, then moves it over
 * the target atomically: an interrupted save leaves the previous file as it was. {@link #load}
 * checks magic, checksum, version and sizes before building anything, so a bad file throws
 * {@link ModelFileException} and the caller's model is untouched.
 */
public final class ModelFile {
  static final long MAGIC = 0x41444D4C50000001L;
  static final int VERSION = 1;

  private ModelFile() {}

  /** Writes the model to path atomically (temporary file, then rename). */
  public static void save(Mlp model, Path path) throws IOException {
    save(model, path, out -> out);
  }

  /** As {@link #save}, with the temporary file's stream wrapped (tests interrupt a save with it). */
  static void save(Mlp model, Path path, UnaryOperator<OutputStream> wrap) throws IOException {
    checkNotNull(model, "model");
    byte[] bytes = encode(model);
    Path target = path.toAbsolutePath();
    if (Files.isDirectory(target)) {
      throw new IOException(path + ": is a directory; give the path of the model file to write");
    }
    Path dir = target.getParent();
    Files.createDirectories(dir);
    // a fresh name beside the target (same file system, so the move can be atomic), created with
    // the default permissions rather than createTempFile's owner-only ones
    Path tmp = dir.resolve("." + target.getFileName() + "." + ProcessHandle.current().pid() + "."
        + System.nanoTime() + ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE);
          OutputStream out = wrap.apply(java.nio.channels.Channels.newOutputStream(ch))) {
        out.write(bytes);
        out.flush();
        ch.force(true);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  static byte[] encode(Mlp model) throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(buffer);
    Architecture a = model.architecture();
    out.writeLong(MAGIC);
    out.writeInt(VERSION);
    out.writeInt(a.inputs());
    out.writeInt(a.layers().size());
    for (Architecture.Layer l : a.layers()) {
      out.writeInt(l.width());
      out.writeUTF(l.activation().name());
    }
    for (Parameter p : model.parameters()) {
      DMatrixRMaj m = p.value();
      for (int k = 0; k < m.getNumElements(); k++) {
        out.writeDouble(m.data[k]);
      }
    }
    CRC32 crc = new CRC32();
    crc.update(buffer.toByteArray());
    out.writeInt((int) crc.getValue());
    out.flush();
    return buffer.toByteArray();
  }

  /** A new model read from path, validated in full first. */
  public static Mlp load(Path path) throws IOException {
    return decode(path, read(path));
  }

  /**
   * Reads path into an existing model of the same architecture. Validated in full before any
   * parameter is written: on any error the model is untouched. model Modified.
   */
  public static void loadInto(Path path, Mlp model) throws IOException {
    Mlp loaded = load(path);
    if (!loaded.architecture().equals(model.architecture())) {
      throw new ModelFileException(path + ": the file holds a " + loaded.architecture()
          + " model, but the model to load into is " + model.architecture());
    }
    List<Parameter> to = model.parameters();
    List<Parameter> from = loaded.parameters();
    for (int i = 0; i < to.size(); i++) {
      to.get(i).value().setTo(from.get(i).value());
    }
  }

  private static byte[] read(Path path) throws IOException {
    if (Files.isDirectory(path)) {
      throw new IOException(path + ": is a directory, not a model file");
    }
    try {
      return Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(path.toString(), null, "no model file here");
    } catch (IOException e) { // a message of the system's own, such as "Permission denied"
      throw new IOException(path + ": " + e.getMessage(), e);
    }
  }

  private static Mlp decode(Path path, byte[] bytes) throws ModelFileException {
    if (bytes.length < 16) {
      throw new ModelFileException(path + ": not a model file (" + bytes.length
          + " bytes, shorter than the 16-byte header); truncated?");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    long magic = in.getLong();
    if (magic != MAGIC) {
      throw new ModelFileException(String.format(
          "%s: not a model file (magic %016x, expected %016x)", path, magic, MAGIC));
    }
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, bytes.length - 4);
    int stored = ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt();
    if (stored != (int) crc.getValue()) {
      throw new ModelFileException(String.format("%s: checksum mismatch (stored %08x, computed "
          + "%08x): the file is truncated or corrupt", path, stored, (int) crc.getValue()));
    }
    int version = in.getInt();
    if (version != VERSION) {
      throw new ModelFileException(path + ": format version " + version
          + " is not supported (this build reads version " + VERSION + ")");
    }
    try {
      int inputs = in.getInt();
      int count = in.getInt();
      if (inputs <= 0 || count <= 0 || count > 10_000) {
        throw new ModelFileException(path + ": corrupt header (inputs " + inputs + ", layers "
            + count + ")");
      }
      List<Architecture.Layer> layers = new ArrayList<>();
      long expected = 0;
      int in0 = inputs;
      for (int l = 0; l < count; l++) {
        int width = in.getInt();
        String name = readUtf(path, in);
        Activation g;
        try {
          g = Activation.valueOf(name);
        } catch (IllegalArgumentException e) {
          throw new ModelFileException(path + ": layer " + (l + 1) + " has unknown activation '"
              + name + "'");
        }
        if (width <= 0) {
          throw new ModelFileException(path + ": layer " + (l + 1) + " has width " + width);
        }
        layers.add(new Architecture.Layer(width, g));
        expected += ((long) in0 + 1) * width;
        in0 = width;
      }
      long remaining = in.remaining() - 4L;
      if (remaining != expected * Double.BYTES) {
        throw new ModelFileException(path + ": the architecture needs " + expected * Double.BYTES
            + " bytes of parameters, the file has " + remaining);
      }
      Architecture a = new Architecture(inputs, layers);
      List<Linear> linear = new ArrayList<>();
      in0 = inputs;
      for (int l = 0; l < count; l++) {
        int out = layers.get(l).width();
        DMatrixRMaj W = new DMatrixRMaj(out, in0);
        DMatrixRMaj b = new DMatrixRMaj(1, out);
        in.asDoubleBuffer().get(W.data, 0, W.getNumElements());
        in.position(in.position() + W.getNumElements() * Double.BYTES);
        in.asDoubleBuffer().get(b.data, 0, out);
        in.position(in.position() + out * Double.BYTES);
        String suffix = String.valueOf(l + 1);
        linear.add(new Linear(new Parameter("W" + suffix, W, true),
            new Parameter("b" + suffix, b, false)));
        in0 = out;
      }
      return new Mlp(a, linear);
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      throw new ModelFileException(path + ": corrupt layout (" + e + ")");
    }
  }

  private static String readUtf(Path path, ByteBuffer in) throws ModelFileException {
    int length = Short.toUnsignedInt(in.getShort());
    if (length > 64) {
      throw new ModelFileException(path + ": corrupt layout (an activation name of " + length
          + " bytes)");
    }
    byte[] b = new byte[length];
    in.get(b);
    return new String(b, java.nio.charset.StandardCharsets.UTF_8);
  }
}
