package io.basalt.agent.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Scratch directories for tests that start PostgreSQL. They live under /tmp, never under the
 * build directory or a home directory, and are world-searchable: as root, PostgreSQL runs as
 * another OS user who must reach the data directory (JUnit's {@code @TempDir} is mode 0700).
 */
public final class TestDirectories {
  private TestDirectories() {}

  /** A new, empty directory {@code /tmp/basalt-test-<prefix>-<random>}, mode 0755. */
  public static Path create(String prefix) {
    try {
      Path dir = Files.createTempDirectory(Path.of("/tmp"), "basalt-test-" + prefix + "-");
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes {@code dir} and everything in it; stop servers using it first. */
  public static void delete(Path dir) {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
            throws IOException {
          Files.deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
          Files.deleteIfExists(d);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
