package dev.autodiff.core.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Files written whole or not at all: a temporary file beside the target, forced to disk, then moved
 * onto it, so that a reader sees the old file or the new one and a crash leaves no half-written
 * file. The temporary file gets the permissions of any new file (not {@code
 * Files.createTempFile}'s owner-only ones, which the target would keep) and is deleted if writing
 * fails.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** What is written to the temporary file. */
  @FunctionalInterface
  public interface Content {
    /**
     * Writes the file's content; the stream is flushed and closed afterwards.
     *
     * @param out the temporary file's stream
     * @throws IOException to abandon the write: the target is left as it was
     */
    void writeTo(OutputStream out) throws IOException;
  }

  /** A program that creates a file itself, at the path it is given (Graphviz's {@code dot -o}). */
  @FunctionalInterface
  public interface Creation {
    /**
     * Creates the file.
     *
     * @param temporary where to create it: a path beside the target that does not exist yet
     * @throws IOException to abandon the write: the target is left as it was
     */
    void create(Path temporary) throws IOException;
  }

  /**
   * Writes bytes to file, replacing it whole.
   *
   * @throws IOException if file is a directory, saying so, or if writing fails
   */
  public static void write(Path file, byte[] bytes) throws IOException {
    write(file, out -> out.write(bytes));
  }

  /**
   * Writes text to file in UTF-8, replacing it whole.
   *
   * @throws IOException if file is a directory, saying so, or if writing fails
   */
  public static void writeString(Path file, String text) throws IOException {
    write(file, text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Writes what content writes to file, replacing it whole: e.g. {@code write(file, out ->
   * ImageIO.write(image, "png", out))}.
   *
   * @throws IOException if file is a directory, saying so, or if content or writing fails
   */
  public static void write(Path file, Content content) throws IOException {
    create(file, tmp -> {
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp,
          StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))) {
        content.writeTo(new FilterOutputStream(out) {
          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
          }

          @Override
          public void close() {} // closed once, by this method
        });
      }
    });
  }

  /**
   * Lets a program create file's content at a temporary path, then moves it onto file.
   *
   * @throws IOException if file is a directory, saying so, if creation fails, or if it created no
   *     file
   */
  public static void create(Path file, Creation creation) throws IOException {
    Path target = file.toAbsolutePath();
    if (Files.isDirectory(target)) {
      throw new IOException(file + ": is a directory; give the path of the file to write");
    }
    Path dir = target.getParent();
    Files.createDirectories(dir);
    Path tmp = dir.resolve("." + target.getFileName() + "."
        + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
    try {
      creation.create(tmp);
      if (!Files.isRegularFile(tmp)) {
        throw new IOException(file + ": no file was created to replace it with");
      }
      // on disk before the move makes it visible, so that a crash cannot leave an empty file
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
