package io.basalt.coordinator.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * DATA/basalt.pid: which process serves this data directory, on which address. Written by the
 * server once it accepts connections, removed when it stops.
 */
record PidFile(long pid, String host, int port) {
  private static final ObjectMapper JSON = new ObjectMapper();

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
    return read(dataDir).filter(f -> ProcessHandle.of(f.pid()).map(ProcessHandle::isAlive)
        .orElse(false));
  }

  void write(Path dataDir) throws IOException {
    Path tmp = dataDir.resolve("basalt.pid.tmp");
    JSON.writeValue(tmp.toFile(), this);
    Files.move(tmp, path(dataDir), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }
}
