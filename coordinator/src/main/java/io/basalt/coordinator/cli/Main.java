package io.basalt.coordinator.cli;

import io.basalt.agent.FreePorts;
import io.basalt.coordinator.server.BasaltServer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * {@code basalt start|stop|status|serve}. {@code start} launches {@code serve} as a detached
 * background process and returns once it accepts connections (or prints why it could not).
 */
public final class Main {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

  private Main() {}

  public static void main(String[] args) {
    int code;
    try {
      code = run(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      code = 2;
    } catch (Exception e) {
      System.err.println("basalt: " + e.getMessage());
      code = 1;
    }
    if (code >= 0) {
      System.exit(code);
    }
  }

  static Path defaultDataDir() {
    String env = System.getenv("BASALT_DATA_DIR");
    if (env != null && !env.isBlank()) {
      return Path.of(env).toAbsolutePath();
    }
    String home = System.getenv("BASALT_HOME");
    Path base = home != null ? Path.of(home) : Path.of(System.getProperty("user.dir"));
    return base.resolve(".basalt").toAbsolutePath().normalize();
  }

  /** Returns the exit code, or -1 for "keep running" (serve). */
  static int run(String[] args) throws Exception {
    CliOptions o = CliOptions.parse(args, defaultDataDir());
    return switch (o.command()) {
      case "start" -> start(o);
      case "stop" -> stop(o);
      case "status" -> status(o);
      case "serve" -> serve(o);
      default -> throw new IllegalArgumentException("unknown command " + o.command() + "\n"
          + CliOptions.usage());
    };
  }

  private static int start(CliOptions o) throws Exception {
    Optional<PidFile> live = PidFile.live(o.dataDir());
    if (live.isPresent()) {
      // Like pg_ctl start: a second start is an error, so scripts notice the port they asked
      // for is not necessarily the one serving.
      System.err.printf("basalt: Basalt is already running for %s (pid %d, %s:%d)%n",
          o.dataDir(), live.get().pid(), live.get().host(), live.get().port());
      return 1;
    }
    if (!FreePorts.isFree(InetAddress.getByName(o.host()), o.port())) {
      System.err.printf("basalt: port %d on %s is already in use; choose another with --port%n",
          o.port(), o.host());
      return 1;
    }
    Files.createDirectories(o.dataDir());
    Path log = o.dataDir().resolve("basalt.log");
    List<String> cmd = new ArrayList<>();
    if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
      cmd.add("/usr/bin/setsid");   // detach from the terminal's session and its SIGHUP
    }
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.add("-XX:+UseSerialGC".equals(System.getenv("BASALT_GC")) ? "-XX:+UseSerialGC"
        : "-XX:+UseParallelGC");
    cmd.add("-Duser.timezone=UTC");
    // Extra JVM options for the server, e.g. BASALT_JAVA_OPTS=-Xmx256m (bench/copy-stream.sh).
    String extra = System.getenv("BASALT_JAVA_OPTS");
    if (extra != null && !extra.isBlank()) {
      cmd.addAll(java.util.Arrays.asList(extra.trim().split("\\s+")));
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.addAll(o.serveArgs());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<PidFile> pf = PidFile.live(o.dataDir());
      if (pf.isPresent() && pf.get().pid() == p.pid()) {
        System.out.printf("Basalt is running on %s:%d (pid %d, data %s)%n", o.host(), o.port(),
            p.pid(), o.dataDir());
        System.out.printf("connect: PGPASSWORD=$(cat %s) psql -h %s -p %d -U postgres%n",
            o.dataDir().resolve("password"), o.host(), o.port());
        return 0;
      }
      if (!p.isAlive()) {
        System.err.println("basalt: the server exited during start-up; end of " + log + ":");
        System.err.println(tail(log, 30));
        return 1;
      }
      Thread.sleep(100);
    }
    p.destroy();
    System.err.println("basalt: the server did not become ready in time; see " + log);
    return 1;
  }

  private static String tail(Path file, int lines) throws IOException {
    List<String> all = Files.readAllLines(file);
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  private static int stop(CliOptions o) throws Exception {
    Optional<PidFile> live = PidFile.live(o.dataDir());
    if (live.isEmpty()) {
      System.out.println("Basalt is not running for " + o.dataDir());
      return 0;
    }
    Optional<ProcessHandle> process = live.get().process();
    if (process.isEmpty()) {   // exited just now
      System.out.println("Basalt is not running for " + o.dataDir());
      return 0;
    }
    ProcessHandle h = process.get();
    h.destroy();   // SIGTERM: the server stops its PostgreSQL servers on the way out
    try {
      h.onExit().get(120, java.util.concurrent.TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      h.destroyForcibly();
      System.err.println("basalt: the server did not stop in time and was killed");
      return 1;
    }
    System.out.println("Basalt stopped (pid " + live.get().pid() + ")");
    return 0;
  }

  private static int status(CliOptions o) {
    Optional<PidFile> live = PidFile.live(o.dataDir());
    if (live.isEmpty()) {
      System.out.println("Basalt is not running for " + o.dataDir());
      return 3;   // like pg_ctl status
    }
    System.out.printf("Basalt is running (pid %d, %s:%d, data %s)%n", live.get().pid(),
        live.get().host(), live.get().port(), o.dataDir());
    return 0;
  }

  private static int serve(CliOptions o) throws Exception {
    if (PidFile.live(o.dataDir()).filter(f -> f.pid() != ProcessHandle.current().pid())
        .isPresent()) {
      throw new IllegalStateException("another Basalt server is running for " + o.dataDir());
    }
    BasaltServer server = BasaltServer.startEmbedded(o.host(), o.port(), o.dataDir(),
        o.workers(), o.fsync());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      try {
        Files.deleteIfExists(PidFile.path(o.dataDir()));
      } catch (IOException e) {
        // Stale pid files are recognised by their dead process.
      }
      stopped.countDown();
    }, "basalt-shutdown"));
    PidFile.of(ProcessHandle.current(), o.host(), server.port()).write(o.dataDir());
    stopped.await();
    return -1;
  }
}
