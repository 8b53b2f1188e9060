package dev.autodiff.core.trace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/** Files written whole or not at all: a temporary file beside the target, then a move. */
final class AtomicFiles {
  private AtomicFiles() {}

  /**
   * A fresh name beside file, not yet created: whatever creates it gives it the permissions of any
   * new file (Files.createTempFile would make it readable by its owner alone, and so the target).
   */
  static Path temporary(Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    return dir.resolve("." + file.getFileName() + "."
        + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
  }

  /** Writes bytes to file so that no reader ever sees it half written. */
  static void write(Path file, byte[] bytes) throws IOException {
    Path tmp = temporary(file);
    try {
      Files.write(tmp, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      Files.move(tmp, file.toAbsolutePath(), StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
