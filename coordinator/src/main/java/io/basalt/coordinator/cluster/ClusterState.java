package io.basalt.coordinator.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the embedded cluster remembers between starts (cluster.json): the ports its servers
 * listen on, so a restart finds the same servers and data at the same addresses.
 */
public record ClusterState(int coordinatorDbPort, List<Integer> workerPorts) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public ClusterState {
    workerPorts = List.copyOf(workerPorts);
  }

  static ClusterState load(Path file) throws IOException {
    return JSON.readValue(file.toFile(), ClusterState.class);
  }

  void save(Path file) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), this);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}
