package io.basalt.agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs external programs (initdb, pg_ctl, psql, ...) to completion with a time limit and collects
 * their output.
 *
 * <p>Children start in {@code /} with every {@code PG*} variable removed from their environment:
 * the PostgreSQL programs may run as another OS user who cannot enter the JVM's working directory,
 * and a {@code PGHOST} or {@code PGPASSWORD} inherited from the operator's shell must not silently
 * redirect or authenticate Basalt's own commands.
 */
public final class ProcessRunner {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);

  private static final Logger LOG = LoggerFactory.getLogger(ProcessRunner.class);
  /** How long to wait for output after exit; a daemon child could otherwise hold the pipe open. */
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);

  private ProcessRunner() {}

  public static ProcessResult run(List<String> command, Duration timeout) {
    return run(command, Map.of(), "", timeout);
  }

  /**
   * Runs {@code command} with {@code extraEnvironment} added to the cleaned environment, writes
   * {@code input} to its standard input and waits at most {@code timeout} for it to finish.
   *
   * @throws AgentException if the program cannot be started or does not finish in time; a
   *     non-zero exit code is reported in the result, not thrown
   */
  public static ProcessResult run(List<String> command, Map<String, String> extraEnvironment,
      String input, Duration timeout) {
    String line = ProcessResult.commandLine(command);
    LOG.debug("running {}", line);
    ProcessBuilder builder = new ProcessBuilder(command).directory(Path.of("/").toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("PG"));
    builder.environment().putAll(extraEnvironment);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new AgentException("cannot run " + line + ": " + e.getMessage(), e);
    }
    Drain stdout = Drain.start(process.getInputStream());
    Drain stderr = Drain.start(process.getErrorStream());
    writeInput(process, input);
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new AgentException("command did not finish within " + timeout.toSeconds()
            + " s and was killed: " + line);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new AgentException("interrupted while waiting for " + line, e);
    }
    ProcessResult result =
        new ProcessResult(command, process.exitValue(), stdout.text(), stderr.text());
    LOG.debug("exit code {} from {}", result.exitCode(), line);
    return result;
  }

  private static void writeInput(Process process, String input) {
    try (OutputStream in = process.getOutputStream()) {
      in.write(input.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // The program exited without reading its input; its exit code and output tell why.
      LOG.debug("could not write standard input: {}", e.getMessage());
    }
  }

  /** Reads one output stream on its own thread so a chatty child never blocks on a full pipe. */
  private static final class Drain {
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final Thread thread;

    private Drain(InputStream stream) {
      thread = Thread.ofVirtual().start(() -> {
        try (stream) {
          stream.transferTo(buffer);
        } catch (IOException e) {
          // The child was killed or closed the stream; what was read so far is kept.
          LOG.debug("output stream closed early: {}", e.getMessage());
        }
      });
    }

    static Drain start(InputStream stream) {
      return new Drain(stream);
    }

    String text() {
      try {
        thread.join(DRAIN_TIMEOUT);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return buffer.toString(StandardCharsets.UTF_8);
    }
  }
}
