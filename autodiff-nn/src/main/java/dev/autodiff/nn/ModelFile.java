package dev.autodiff.nn;

import dev.autodiff.core.io.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.BufferUnderflowException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32;
import org.ejml.data.DMatrixRMaj;

/**
 * A module in one file: its parameters by name (weights, biases and statistics), optionally the
 * optimizer's state and the point training reached, big-endian.
 *
 * <pre>
 * magic "ADMODEL\0" (8 bytes) · format version (int) · the module's class (UTF) · for an Mlp its
 * architecture: inputs (int), layer count (int), per layer width (int) and activation (UTF) ·
 * parameter count (int) · per parameter: path (UTF), kind (byte), rows (int), columns (int) · their
 * values (doubles, row-major, in that order) · optimizer present (byte) · if so: its kind (UTF),
 * steps (long), learning rate (double), state count (int), per state: path (UTF), arrays (int) and
 * their doubles · training position present (byte) · if so: epochs done (int), steps done (long),
 * the last epoch's J (double), batches done in the next epoch (int), their sums of L, s and J
 * (doubles), gradient sums (count, then path (UTF), length (int) and doubles each) · CRC32 of
 * everything before it (int)
 * </pre>
 *
 * <p>{@link #save} writes a temporary file beside the target, forces it to disk, then moves it over
 * the target atomically: an interrupted save leaves the previous file as it was. {@link #load}
 * checks magic, checksum, version and sizes before building anything, so a bad file throws
 * {@link ModelFileException} and the caller's model is untouched.
 */
public final class ModelFile {
  static final long MAGIC = 0x41444D4F44454C00L;
  static final int VERSION = 2;

  private ModelFile() {}

  /** Writes the model's parameters to path atomically (temporary file, then rename). */
  public static void save(Module model, Path path) throws IOException {
    write(encode(model, null, null), path, out -> out);
  }

  /**
   * Writes the model's parameters and the optimizer's state (steps, rate, moments) to path
   * atomically: {@link #loadInto(Path, Module, Optimizer)} restores both, and training continues
   * bit for bit.
   */
  public static void save(Module model, Optimizer optimizer, Path path) throws IOException {
    write(encode(model, Objects.requireNonNull(optimizer, "optimizer"), null), path, out -> out);
  }

  /** As {@link #save}, with the temporary file's stream wrapped (tests interrupt a save with it). */
  static void save(Module model, Path path, UnaryOperator<OutputStream> wrap) throws IOException {
    write(encode(model, null, null), path, wrap);
  }

  /** Writes bytes to path with {@link AtomicFiles}, the temporary file's stream wrapped. */
  static void write(byte[] bytes, Path path, UnaryOperator<OutputStream> wrap) throws IOException {
    AtomicFiles.write(path, out -> {
      OutputStream o = wrap.apply(out);
      o.write(bytes);
      o.flush();
    });
  }

  /**
   * Where a training run stood when its checkpoint was written: epochs done, steps done, the last
   * whole epoch's J, and within the next epoch the batches done and their running sums of L, s, J
   * and the gradient (by path), so that the epoch's record comes out as if never interrupted.
   */
  record Position(int epochs, long steps, double lastJ, int batches, double L, double s,
      double J, Map<String, double[]> gradient) {
    /** At the end of an epoch. */
    Position(int epochs, long steps, double lastJ) {
      this(epochs, steps, lastJ, 0, 0, 0, 0, Map.of());
    }
  }

  static byte[] encode(Module model, Optimizer optimizer, Position position) throws IOException {
    Objects.requireNonNull(model, "model");
    Map<String, Parameter> parameters = model.namedParameters();
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(buffer);
    out.writeLong(MAGIC);
    out.writeInt(VERSION);
    out.writeUTF(model.getClass().getName());
    if (model instanceof Mlp mlp) {
      Architecture a = mlp.architecture();
      out.writeInt(a.inputs());
      out.writeInt(a.layers().size());
      for (Architecture.Layer l : a.layers()) {
        out.writeInt(l.width());
        out.writeUTF(l.activation().name());
      }
    }
    out.writeInt(parameters.size());
    for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
      out.writeUTF(e.getKey());
      out.writeByte(e.getValue().kind().ordinal());
      out.writeInt(e.getValue().rows());
      out.writeInt(e.getValue().cols());
    }
    for (Parameter p : parameters.values()) {
      writeDoubles(out, p.value().data, p.value().getNumElements());
    }
    out.writeBoolean(optimizer != null);
    if (optimizer != null) {
      out.writeUTF(optimizer.kind());
      out.writeLong(optimizer.steps());
      out.writeDouble(optimizer.learningRate());
      Map<String, double[][]> states = new LinkedHashMap<>();
      parameters.forEach((path, p) -> {
        double[][] s = optimizer.state(p);
        if (s != null && s.length > 0) {
          states.put(path, s);
        }
      });
      out.writeInt(states.size());
      for (Map.Entry<String, double[][]> e : states.entrySet()) {
        out.writeUTF(e.getKey());
        out.writeInt(e.getValue().length);
        for (double[] a : e.getValue()) {
          writeDoubles(out, a, a.length);
        }
      }
    }
    out.writeBoolean(position != null);
    if (position != null) {
      out.writeInt(position.epochs());
      out.writeLong(position.steps());
      out.writeDouble(position.lastJ());
      out.writeInt(position.batches());
      out.writeDouble(position.L());
      out.writeDouble(position.s());
      out.writeDouble(position.J());
      out.writeInt(position.gradient().size());
      for (Map.Entry<String, double[]> e : position.gradient().entrySet()) {
        out.writeUTF(e.getKey());
        out.writeInt(e.getValue().length);
        writeDoubles(out, e.getValue(), e.getValue().length);
      }
    }
    CRC32 crc = new CRC32();
    crc.update(buffer.toByteArray());
    out.writeInt((int) crc.getValue());
    out.flush();
    return buffer.toByteArray();
  }

  private static void writeDoubles(DataOutputStream out, double[] a, int n) throws IOException {
    for (int k = 0; k < n; k++) {
      out.writeDouble(a[k]);
    }
  }

  /** A file's contents, read and checked in full before anything is built from them. */
  record Contents(String type, Architecture architecture, Map<String, Parameter> parameters,
      String optimizer, long steps, double rate, Map<String, double[][]> states,
      Position position) {}

  /** A new model read from a file that holds an {@link Mlp}, validated in full first. */
  public static Mlp load(Path path) throws IOException {
    Contents c = read(path);
    if (c.architecture() == null) {
      throw new ModelFileException(path + ": the file holds a " + c.type() + ", not an Mlp; "
          + "make one and read the file into it with loadInto");
    }
    List<Linear> layers = new ArrayList<>();
    List<Parameter> p = List.copyOf(c.parameters().values());
    for (int l = 0; l < c.architecture().layers().size(); l++) {
      layers.add(new Linear(p.get(2 * l), p.get(2 * l + 1)));
    }
    return new Mlp(c.architecture(), layers);
  }

  /**
   * Reads path into an existing model with the same parameter names, kinds and shapes. Validated
   * in full before any parameter is written: on any error the model is untouched. model Modified.
   */
  public static void loadInto(Path path, Module model) throws IOException {
    Contents c = read(path);
    Map<String, Parameter> to = matching(path, c, model);
    c.parameters().forEach((name, p) -> to.get(name).value().setTo(p.value()));
  }

  /**
   * Reads path into an existing model and optimizer: the parameters as {@link #loadInto(Path,
   * Module)} does, and the optimizer's steps, rate and state, which the file must hold for an
   * optimizer of the same kind. Validated in full first; on any error both are untouched. model
   * and optimizer Modified.
   */
  public static void loadInto(Path path, Module model, Optimizer optimizer) throws IOException {
    restore(path, read(path), model, optimizer);
  }

  /** Restores a checkpoint into model and optimizer, returning where training stood. */
  static Position restore(Path path, Contents c, Module model, Optimizer optimizer)
      throws IOException {
    Map<String, Parameter> to = matching(path, c, model);
    if (c.optimizer() == null) {
      throw new ModelFileException(path + ": the file holds no optimizer state (it was saved "
          + "with save(model, path)); load it with loadInto(path, model)");
    }
    if (!c.optimizer().equals(optimizer.kind())) {
      throw new ModelFileException(path + ": the file holds the state of " + c.optimizer()
          + ", but the optimizer to load into is " + optimizer.kind());
    }
    Map<Parameter, double[][]> states = new IdentityHashMap<>();
    for (Map.Entry<String, double[][]> e : c.states().entrySet()) {
      Parameter p = to.get(e.getKey());
      double[][] s = e.getValue();
      if (p == null || s.length != optimizer.stateArrays()) {
        throw new ModelFileException(path + ": the optimizer state of '" + e.getKey() + "' ("
            + s.length + " arrays) does not fit " + optimizer.kind());
      }
      for (double[] a : s) {
        if (a.length != p.value().getNumElements()) {
          throw new ModelFileException(path + ": the optimizer state of '" + e.getKey()
              + "' has " + a.length + " entries, the parameter " + p.value().getNumElements());
        }
      }
      states.put(p, s);
    }
    c.parameters().forEach((name, p) -> to.get(name).value().setTo(p.value()));
    optimizer.restore(c.steps(), c.rate(), states);
    return c.position();
  }

  /** model's parameters by path, after checking the file holds the same paths, kinds, shapes. */
  private static Map<String, Parameter> matching(Path path, Contents c, Module model)
      throws ModelFileException {
    if (model instanceof Mlp mlp && c.architecture() != null
        && !c.architecture().equals(mlp.architecture())) {
      throw new ModelFileException(path + ": the file holds a " + c.architecture()
          + " model, but the model to load into is " + mlp.architecture());
    }
    Map<String, Parameter> to = model.namedParameters();
    for (Map.Entry<String, Parameter> e : c.parameters().entrySet()) {
      Parameter mine = to.get(e.getKey());
      Parameter theirs = e.getValue();
      if (mine == null) {
        throw new ModelFileException(path + ": the file has a parameter '" + e.getKey()
            + "' that the " + model.getClass().getSimpleName() + " to load into does not have");
      }
      if (mine.kind() != theirs.kind() || mine.rows() != theirs.rows()
          || mine.cols() != theirs.cols()) {
        throw new ModelFileException(path + ": the file's '" + e.getKey() + "' is a "
            + theirs.rows() + "×" + theirs.cols() + " " + theirs.kind() + ", the model's a "
            + mine.rows() + "×" + mine.cols() + " " + mine.kind());
      }
    }
    for (String name : to.keySet()) {
      if (!c.parameters().containsKey(name)) {
        throw new ModelFileException(path + ": the file has no parameter '" + name + "', which "
            + "the " + model.getClass().getSimpleName() + " to load into has");
      }
    }
    return to;
  }

  static Contents read(Path path) throws IOException {
    if (Files.isDirectory(path)) {
      throw new IOException(path + ": is a directory, not a model file");
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(path.toString(), null, "no model file here");
    } catch (IOException e) { // a message of the system's own, such as "Permission denied"
      throw new IOException(path + ": " + e.getMessage(), e);
    }
    return decode(path, bytes);
  }

  private static Contents decode(Path path, byte[] bytes) throws ModelFileException {
    if (bytes.length < 16) {
      throw new ModelFileException(path + ": not a model file (" + bytes.length
          + " bytes, shorter than the 16-byte header); truncated?");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes, 0, bytes.length - 4);
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
      String type = readUtf(path, in);
      Architecture architecture = null;
      if (type.equals(Mlp.class.getName())) {
        architecture = readArchitecture(path, in);
      }
      int count = in.getInt();
      if (count < 0 || count > 1_000_000) {
        throw new ModelFileException(path + ": corrupt header (" + count + " parameters)");
      }
      record Entry(String path, Parameter.Kind kind, int rows, int cols) {}
      List<Entry> entries = new ArrayList<>();
      long doubles = 0;
      for (int i = 0; i < count; i++) {
        String name = readUtf(path, in);
        int kind = in.get();
        int rows = in.getInt();
        int cols = in.getInt();
        if (kind < 0 || kind >= Parameter.Kind.values().length || rows <= 0 || cols <= 0) {
          throw new ModelFileException(path + ": corrupt header (parameter '" + name + "' of kind "
              + kind + ", " + rows + "×" + cols + ")");
        }
        entries.add(new Entry(name, Parameter.Kind.values()[kind], rows, cols));
        doubles += (long) rows * cols;
      }
      if (doubles * Double.BYTES > in.remaining()) {
        throw new ModelFileException(path + ": the parameters need " + doubles * Double.BYTES
            + " bytes, the file has " + in.remaining());
      }
      Map<String, Parameter> parameters = new LinkedHashMap<>();
      for (Entry e : entries) {
        DMatrixRMaj m = new DMatrixRMaj(e.rows(), e.cols());
        readDoubles(in, m.data);
        String local = e.path().substring(e.path().lastIndexOf('.') + 1);
        if (parameters.put(e.path(), new Parameter(local, m, e.kind())) != null) {
          throw new ModelFileException(path + ": corrupt header ('" + e.path() + "' twice)");
        }
      }
      String optimizer = null;
      long steps = 0;
      double rate = 0;
      Map<String, double[][]> states = new LinkedHashMap<>();
      if (in.get() != 0) {
        optimizer = readUtf(path, in);
        steps = in.getLong();
        rate = in.getDouble();
        int n = in.getInt();
        if (n < 0 || n > count || steps < 0 || !(rate > 0)) {
          throw new ModelFileException(path + ": corrupt optimizer state (" + n + " states, "
              + steps + " steps, rate " + rate + ")");
        }
        for (int i = 0; i < n; i++) {
          String name = readUtf(path, in);
          Parameter p = parameters.get(name);
          int arrays = in.getInt();
          if (p == null || arrays < 0 || arrays > 8) {
            throw new ModelFileException(path + ": corrupt optimizer state ('" + name + "', "
                + arrays + " arrays)");
          }
          double[][] s = new double[arrays][p.value().getNumElements()];
          for (double[] a : s) {
            readDoubles(in, a);
          }
          states.put(name, s);
        }
      }
      Position position = null;
      if (in.get() != 0) {
        int epochs = in.getInt();
        long stepsDone = in.getLong();
        double lastJ = in.getDouble();
        int batches = in.getInt();
        double L = in.getDouble();
        double s = in.getDouble();
        double J = in.getDouble();
        int n = in.getInt();
        if (epochs < 0 || stepsDone < 0 || batches < 0 || n < 0 || n > count) {
          throw new ModelFileException(path + ": corrupt training position (epoch " + epochs
              + ", step " + stepsDone + ", batch " + batches + ", " + n + " sums)");
        }
        Map<String, double[]> sums = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
          String name = readUtf(path, in);
          int length = in.getInt();
          Parameter p = parameters.get(name);
          if (p == null || length != p.value().getNumElements()) {
            throw new ModelFileException(path + ": corrupt training position ('" + name + "', "
                + length + " entries)");
          }
          double[] a = new double[length];
          readDoubles(in, a);
          sums.put(name, a);
        }
        position = new Position(epochs, stepsDone, lastJ, batches, L, s, J, sums);
      }
      if (in.remaining() != 0) {
        throw new ModelFileException(path + ": corrupt layout (" + in.remaining()
            + " bytes left over)");
      }
      if (architecture != null) {
        checkArchitecture(path, architecture, parameters);
      }
      return new Contents(type, architecture, parameters, optimizer, steps, rate, states,
          position);
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      throw new ModelFileException(path + ": corrupt layout (" + e + ")");
    }
  }

  private static Architecture readArchitecture(Path path, ByteBuffer in)
      throws ModelFileException {
    int inputs = in.getInt();
    int count = in.getInt();
    if (inputs <= 0 || count <= 0 || count > 10_000) {
      throw new ModelFileException(path + ": corrupt header (inputs " + inputs + ", layers "
          + count + ")");
    }
    List<Architecture.Layer> layers = new ArrayList<>();
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
    }
    return new Architecture(inputs, layers);
  }

  /** An Mlp file's parameters must be W1, b1, … with the architecture's shapes. */
  private static void checkArchitecture(Path path, Architecture a, Map<String, Parameter> p)
      throws ModelFileException {
    List<String> names = new ArrayList<>();
    List<String> shapes = new ArrayList<>();
    int in = a.inputs();
    for (int l = 0; l < a.layers().size(); l++) {
      int out = a.layers().get(l).width();
      names.add("W" + (l + 1));
      shapes.add(out + "×" + in);
      names.add("b" + (l + 1));
      shapes.add(1 + "×" + out);
      in = out;
    }
    List<String> found = new ArrayList<>();
    p.forEach((name, q) -> found.add(q.rows() + "×" + q.cols()));
    if (!names.equals(List.copyOf(p.keySet())) || !shapes.equals(found)) {
      throw new ModelFileException(path + ": the architecture " + a + " needs parameters "
          + names + " of " + shapes + ", the file has " + p.keySet() + " of " + found);
    }
  }

  private static void readDoubles(ByteBuffer in, double[] a) {
    in.asDoubleBuffer().get(a, 0, a.length);
    in.position(in.position() + a.length * Double.BYTES);
  }

  private static String readUtf(Path path, ByteBuffer in) throws ModelFileException {
    int length = Short.toUnsignedInt(in.getShort());
    if (length > in.remaining()) {
      throw new ModelFileException(path + ": corrupt layout (a name of " + length + " bytes)");
    }
    byte[] b = new byte[length];
    in.get(b);
    return new String(b, java.nio.charset.StandardCharsets.UTF_8);
  }
}
