package io.basalt.coordinator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.basalt.agent.PostgresServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Regression tests in the spirit of Citus's: each src/test/resources/golden/NAME.sql runs
 * through psql against the embedded cluster (coordinator and two workers), and its output must
 * equal NAME.out. Port numbers are replaced by names (:worker_1_port, ...), nothing else;
 * worker 1 is the one with the lower port, the first in Citus's placement order.
 * Run with -Dgolden.update=true to write the .out files (review them before committing).
 *
 * <p>Inside a script, {@code \c worker_1} / {@code \c worker_2} style checks are done with
 * the {@code -- worker N:} prefix: a line starting with it is run on that worker directly, so
 * the script shows what the shards really hold.
 */
class GoldenIT {
  private static final Path DIR = Path.of("src/test/resources/golden");
  private static final String PSQL = "/usr/bin/psql";

  @BeforeAll
  static void start() {
    Proc.requireExecutable(PSQL);
    TestBasalt.server();
  }

  @TestFactory
  Stream<DynamicTest> goldenFiles() throws IOException {
    List<Path> scripts;
    try (Stream<Path> s = Files.list(DIR)) {
      scripts = s.filter(p -> p.toString().endsWith(".sql")).sorted().toList();
    }
    assertFalse(scripts.isEmpty(), "no golden scripts in " + DIR.toAbsolutePath());
    return scripts.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(),
        () -> check(p)));
  }

  private static void check(Path script) throws Exception {
    String actual = normalize(run(Files.readString(script)));
    Path expected = Path.of(script.toString().replaceAll("\\.sql$", ".out"));
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(expected, actual);
      return;
    }
    assertEquals(Files.exists(expected) ? Files.readString(expected) : "<missing " + expected
        + ">", actual, "output of " + script.getFileName() + " differs");
  }

  /**
   * Runs the script through Basalt in one psql session. A "-- worker N: SQL" line also runs SQL
   * on worker N (as the superuser over its private socket) through psql's shell escape, so its
   * output lands at that point of the output and session settings carry on around it.
   */
  private static String run(String script) throws Exception {
    StringBuilder in = new StringBuilder();
    for (String line : script.split("\n", -1)) {
      in.append(line).append('\n');
      if (line.startsWith("-- worker ")) {
        int colon = line.indexOf(':');
        int n = Integer.parseInt(line.substring("-- worker ".length(), colon).trim());
        in.append("\\set ECHO none\n\\! ").append(onWorker(n, line.substring(colon + 1).trim()))
            .append("\n\\set ECHO all\n");
      }
    }
    List<String> cmd = new ArrayList<>(List.of(PSQL, "-X", "-a", "-q", "-v", "ON_ERROR_STOP=0",
        "-v", "VERBOSITY=default", "-P", "pager=off"));
    List<PostgresServer> workers = workers();
    for (int i = 0; i < workers.size(); i++) {
      cmd.addAll(List.of("-v", "worker_" + (i + 1) + "_port=" + workers.get(i).port()));
    }
    Proc.Result r = Proc.runMerged(cmd, TestBasalt.libpqEnv(), in.toString(),
        Duration.ofSeconds(300));
    return r.out();
  }

  /** A shell command running sql on worker n with psql, unaligned and without headers. */
  private static String onWorker(int n, String sql) {
    PostgresServer w = workers().get(n - 1);
    Path psql = w.binaries().clientProgram("psql").orElseThrow();
    List<String> command = w.runAs().wrap(List.of(psql.toString(), "-X", "-q", "-A", "-t",
        "-h", w.socketDir().toString(), "-p", Integer.toString(w.port()), "-U",
        w.config().superuser(), "-d", "postgres",
        "-c", sql));
    StringBuilder sh = new StringBuilder();
    for (String part : command) {
      sh.append('\'').append(part.replace("'", "'\\''")).append("' ");
    }
    return sh.append("2>&1").toString();
  }

  /**
   * The workers in the order Citus places shards on them (by port, their names being equal), so
   * "worker 1" is the same server in every run even though ports are picked at random.
   */
  private static List<PostgresServer> workers() {
    return TestBasalt.server().cluster().workers().stream()
        .sorted(java.util.Comparator.comparingInt(PostgresServer::port)).toList();
  }

  private static String normalize(String s) {
    String out = s.replace("\\set ECHO none\n", "");
    List<PostgresServer> workers = workers();
    for (int i = 0; i < workers.size(); i++) {
      out = out.replaceAll("\\b" + workers.get(i).port() + "\\b", ":worker_" + (i + 1) + "_port");
    }
    out = out.replaceAll("\\b" + TestBasalt.port() + "\\b", ":coordinator_port");
    return out;
  }
}
