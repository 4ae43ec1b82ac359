package io.basalt.coordinator.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * DATA/basalt.pid: which process serves this data directory, on which address. Written by the
 * server once it accepts connections, removed when it stops. {@code startedAt} is the process's
 * start time (epoch milliseconds, 0 when unknown): a pid file left behind by a crash may name a
 * pid the OS has since given to an unrelated process, which must neither count as a running
 * Basalt nor be sent the stop signal.
 */
record PidFile(long pid, String host, int port, long startedAt) {
  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  static PidFile of(ProcessHandle process, String host, int port) {
    return new PidFile(process.pid(), host, port, startMillis(process));
  }

  static Path path(Path dataDir) {
    return dataDir.resolve("basalt.pid");
  }

  static Optional<PidFile> read(Path dataDir) {
    Path p = path(dataDir);
    if (!Files.exists(p)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(p.toFile(), PidFile.class));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The running server for this data directory, if its process is still alive. */
  static Optional<PidFile> live(Path dataDir) {
    return read(dataDir).filter(f -> f.process().isPresent());
  }

  /** The process this file names, if it is alive and is the one that wrote the file. */
  Optional<ProcessHandle> process() {
    return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(h -> {
      long actual = startMillis(h);
      // Files of older versions, or a platform that does not tell: trust the pid alone.
      return startedAt == 0 || actual == 0 || actual == startedAt;
    });
  }

  private static long startMillis(ProcessHandle h) {
    return h.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
  }

  void write(Path dataDir) throws IOException {
    Path tmp = dataDir.resolve("basalt.pid.tmp");
    JSON.writeValue(tmp.toFile(), this);
    Files.move(tmp, path(dataDir), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }
}
