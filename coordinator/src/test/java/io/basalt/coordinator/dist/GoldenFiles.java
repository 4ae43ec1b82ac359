package io.basalt.coordinator.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Expected outputs kept as files under src/test/resources/golden. A test compares its actual
 * output with the file; on a difference (or a missing file) it writes the actual output to
 * target/golden/...actual for review and fails. With {@code -Dgolden.update=true} it writes the
 * expected file itself instead; review the diff before committing it.
 */
public final class GoldenFiles {
  private static final Path EXPECTED = Path.of("src", "test", "resources", "golden");
  private static final Path ACTUAL = Path.of("target", "golden");

  private GoldenFiles() {}

  public static Path expectedPath(String relative) {
    return EXPECTED.resolve(relative);
  }

  public static String read(String relative) {
    try {
      return Files.readString(expectedPath(relative), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void check(String relative, String actual) {
    Path expected = expectedPath(relative);
    try {
      if (Boolean.getBoolean("golden.update")) {
        Files.createDirectories(expected.getParent());
        Files.writeString(expected, actual, StandardCharsets.UTF_8);
        return;
      }
      Path actualFile = ACTUAL.resolve(relative + ".actual");
      if (!Files.exists(expected)) {
        write(actualFile, actual);
        fail("no golden file " + expected + "; the actual output is in " + actualFile
            + " (run with -Dgolden.update=true to create it, then review it)");
      }
      String want = Files.readString(expected, StandardCharsets.UTF_8);
      if (!want.equals(actual)) {
        write(actualFile, actual);
      }
      assertEquals(want, actual, "differs from " + expected + "; actual output in " + actualFile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, content, StandardCharsets.UTF_8);
  }
}
