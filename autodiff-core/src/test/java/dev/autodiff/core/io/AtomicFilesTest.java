package dev.autodiff.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir
  Path dir;

  @Test
  void writesAndReplacesAFileWholeLeavingNoTemporary() throws IOException {
    Path file = dir.resolve("sub/out.txt");
    AtomicFiles.write(file, "first".getBytes(StandardCharsets.UTF_8));
    AtomicFiles.write(file, out -> out.write("second".getBytes(StandardCharsets.UTF_8)));
    assertEquals("second", Files.readString(file));
    assertEquals(List.of("out.txt"), names(file.getParent()));
  }

  @Test
  void theFileGetsThePermissionsOfAnyNewFile() throws IOException {
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"),
        "no POSIX permissions on this file system");
    Path plain = Files.writeString(dir.resolve("plain.txt"), "x");
    Path file = dir.resolve("atomic.txt");
    AtomicFiles.write(file, new byte[] {1});
    assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(file));
  }

  @Test
  void aFailedWriteLeavesTheOldFileAndNoTemporary() throws IOException {
    Path file = Files.writeString(dir.resolve("keep.txt"), "old");
    IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(file, out -> {
      out.write("half".getBytes(StandardCharsets.UTF_8));
      throw new IOException("disk full");
    }));
    assertEquals("disk full", e.getMessage());
    assertEquals("old", Files.readString(file));
    assertEquals(List.of("keep.txt"), names(dir));
  }

  @Test
  void contentMayCloseTheStreamItself() throws IOException {
    Path file = dir.resolve("closed.bin");
    AtomicFiles.write(file, out -> {
      out.write(new byte[] {1, 2, 3}, 1, 2);
      out.close();
    });
    assertArrayEquals(new byte[] {2, 3}, Files.readAllBytes(file));
  }

  @Test
  void aDirectoryIsNotOverwrittenAndTheErrorSaysSo() {
    IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(dir, new byte[0]));
    assertTrue(e.getMessage().equals(dir + ": is a directory; give the path of the file to write"),
        e.getMessage());
  }

  @Test
  void aProgramCreatesTheFileAtTheTemporaryPath() throws IOException {
    Path file = dir.resolve("made.txt");
    AtomicFiles.create(file, tmp -> {
      assertTrue(tmp.getFileName().toString().startsWith(".made.txt."), tmp.toString());
      assertEquals(file.toAbsolutePath().getParent(), tmp.getParent(), "beside the target");
      Files.writeString(tmp, "made");
    });
    assertEquals("made", Files.readString(file));
    IOException e = assertThrows(IOException.class,
        () -> AtomicFiles.create(dir.resolve("none.txt"), tmp -> {}));
    assertTrue(e.getMessage().endsWith("none.txt: no file was created to replace it with"),
        e.getMessage());
    assertEquals(List.of("made.txt"), names(dir));
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
