package io.basalt.coordinator.it;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs an external client process with a timeout, capturing its output. */
final class Proc {
  record Result(int exit, String out, String err) {
    String all() {
      return "exit=" + exit + "\n--- stdout ---\n" + out + "\n--- stderr ---\n" + err;
    }
  }

  private Proc() {}

  /** Fails the test (never skips it) when a required executable is missing. */
  static void requireExecutable(String path) {
    assertTrue(Files.isExecutable(Path.of(path)),
        "required client " + path + " is missing: install it (see the CI setup)");
  }

  /** Runs with standard error merged into standard output, in the order written. */
  static Result runMerged(List<String> cmd, Map<String, String> env, String stdin,
      Duration timeout) throws IOException, InterruptedException {
    return run(cmd, env, null, stdin, timeout, true);
  }

  static Result run(List<String> cmd, Map<String, String> env, Path dir, String stdin,
      Duration timeout) throws IOException, InterruptedException {
    return run(cmd, env, dir, stdin, timeout, false);
  }

  private static Result run(List<String> cmd, Map<String, String> env, Path dir, String stdin,
      Duration timeout, boolean merged) throws IOException, InterruptedException {
    Path out = Files.createTempFile("basalt-proc-", ".out");
    Path err = Files.createTempFile("basalt-proc-", ".err");
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd);
      pb.environment().putAll(env);
      if (dir != null) {
        pb.directory(dir.toFile());
      }
      pb.redirectOutput(out.toFile());
      if (merged) {
        pb.redirectErrorStream(true);
      } else {
        pb.redirectError(err.toFile());
      }
      if (stdin == null) {
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      }
      Process p = pb.start();
      if (stdin != null) {
        try (var os = p.getOutputStream()) {
          os.write(stdin.getBytes(StandardCharsets.UTF_8));
        } catch (IOException ignored) {
          // The process may exit before reading all of its input.
        }
      }
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
        fail("timed out after " + timeout + ": " + cmd + "\n--- stdout ---\n"
            + Files.readString(out) + "\n--- stderr ---\n" + Files.readString(err));
      }
      return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
