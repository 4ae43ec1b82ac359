package io.basalt.coordinator.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Parsed command line: {@code basalt COMMAND [--port P] [--host H] [--data-dir D] [--workers N]}. */
record CliOptions(String command, String host, int port, Path dataDir, int workers,
    boolean fsync) {
  static final int DEFAULT_PORT = 5432;
  static final int DEFAULT_WORKERS = 2;

  static CliOptions parse(String[] args, Path defaultDataDir) {
    if (args.length == 0) {
      throw new IllegalArgumentException(usage());
    }
    String command = args[0];
    String host = "127.0.0.1";
    int port = DEFAULT_PORT;
    Path dataDir = defaultDataDir;
    int workers = DEFAULT_WORKERS;
    boolean fsync = true;
    List<String> rest = new ArrayList<>(List.of(args).subList(1, args.length));
    for (int i = 0; i < rest.size(); i++) {
      String a = rest.get(i);
      String value = null;
      if (a.contains("=")) {
        value = a.substring(a.indexOf('=') + 1);
        a = a.substring(0, a.indexOf('='));
      } else if (!a.equals("--no-fsync")) {
        if (i + 1 >= rest.size()) {
          throw new IllegalArgumentException("missing value for " + a + "\n" + usage());
        }
        value = rest.get(++i);
      }
      switch (a) {
        case "--port", "-p" -> port = parsePort(value);
        case "--host" -> host = value;
        case "--data-dir", "-D" -> dataDir = Path.of(value).toAbsolutePath().normalize();
        case "--workers" -> workers = Integer.parseInt(value);
        case "--no-fsync" -> fsync = false;
        default -> throw new IllegalArgumentException("unknown option " + a + "\n" + usage());
      }
    }
    if (workers < 0 || workers > 64) {
      throw new IllegalArgumentException("--workers must be between 0 and 64");
    }
    return new CliOptions(command, host, port, dataDir, workers, fsync);
  }

  private static int parsePort(String v) {
    int p = Integer.parseInt(v);
    if (p < 1 || p > 65535) {
      throw new IllegalArgumentException("--port must be between 1 and 65535");
    }
    return p;
  }

  static String usage() {
    return """
        usage: basalt start  [--port P] [--host H] [--data-dir D] [--workers N] [--no-fsync]
               basalt stop   [--data-dir D]
               basalt status [--data-dir D]
               basalt serve  [same options as start; runs in the foreground]""";
  }

  List<String> serveArgs() {
    List<String> a = new ArrayList<>(List.of("serve", "--port", Integer.toString(port), "--host",
        host, "--data-dir", dataDir.toString(), "--workers", Integer.toString(workers)));
    if (!fsync) {
      a.add("--no-fsync");
    }
    return a;
  }
}
