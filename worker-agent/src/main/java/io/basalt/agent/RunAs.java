package io.basalt.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OS user that PostgreSQL programs run as. Empty means "the user running this JVM".
 *
 * <p>PostgreSQL refuses to run as root, so when Basalt runs as root (typical in containers) every
 * PostgreSQL program is started through {@code runuser} as an unprivileged user, and the
 * directories that user works in are handed over to it.
 */
public record RunAs(Optional<String> osUser) {
  private static final Logger LOG = LoggerFactory.getLogger(RunAs.class);
  private static final Pattern USER_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*\\$?");
  private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(30);
  private static final List<String> RUNUSER_LOCATIONS =
      List.of("/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser", "/bin/runuser");

  public RunAs {
    osUser.ifPresent(user -> {
      if (!USER_NAME.matcher(user).matches()) {
        throw new IllegalArgumentException("not an OS user name: " + user);
      }
    });
  }

  /** Run PostgreSQL programs as the user running this JVM. */
  public static RunAs currentUser() {
    return new RunAs(Optional.empty());
  }

  public static RunAs user(String osUser) {
    return new RunAs(Optional.of(osUser));
  }

  /**
   * The current user unless this process is root; as root, {@code postgres} if that OS user
   * exists (the packaged servers' own account), else {@code nobody}.
   */
  public static RunAs detect() {
    if (!isRoot()) {
      return currentUser();
    }
    String user = userExists("postgres") ? "postgres" : "nobody";
    LOG.info("running as root: PostgreSQL programs will run as OS user '{}'", user);
    return user(user);
  }

  public boolean switchesUser() {
    return osUser.isPresent();
  }

  /** The command line that runs {@code command} as this user. */
  public List<String> wrap(List<String> command) {
    if (osUser.isEmpty()) {
      return List.copyOf(command);
    }
    List<String> wrapped = new ArrayList<>(switchUserPrefix(osUser.get()));
    wrapped.addAll(command);
    return List.copyOf(wrapped);
  }

  /** Makes this user the owner (and its login group the group) of the given trees. */
  public void claim(Path... paths) {
    if (osUser.isEmpty() || paths.length == 0) {
      return;
    }
    List<String> chown = new ArrayList<>(List.of("chown", "-R", osUser.get() + ":"));
    for (Path path : paths) {
      chown.add(path.toString());
    }
    ProcessRunner.run(chown, LOOKUP_TIMEOUT).requireSuccess();
  }

  /**
   * Checks that this user can reach {@code path}: every existing directory above it must be
   * searchable by it. Without this, initdb or the server fail later with a bare "Permission
   * denied" that does not say which directory is at fault (typically {@code /root}).
   */
  public void requireReachable(Path path) {
    if (osUser.isEmpty()) {
      return;
    }
    String user = osUser.get();
    Set<String> groups = groupsOf(user);
    Path absolute = path.toAbsolutePath().normalize();
    Path current = absolute.getRoot();
    for (Path name : absolute) {
      checkSearchable(current, user, groups, absolute);
      current = current.resolve(name);
    }
  }

  private static void checkSearchable(Path dir, String user, Set<String> groups, Path target) {
    PosixFileAttributes attributes;
    try {
      attributes = Files.readAttributes(dir, PosixFileAttributes.class);
    } catch (IOException e) {
      return; // does not exist yet: it will be created by us, with usable permissions
    }
    Set<PosixFilePermission> mode = attributes.permissions();
    boolean searchable;
    if (attributes.owner().getName().equals(user)) {
      searchable = mode.contains(PosixFilePermission.OWNER_EXECUTE);
    } else if (groups.contains(attributes.group().getName())) {
      searchable = mode.contains(PosixFilePermission.GROUP_EXECUTE);
    } else {
      searchable = mode.contains(PosixFilePermission.OTHERS_EXECUTE);
    }
    if (!searchable) {
      throw new AgentException("PostgreSQL runs as OS user '" + user + "' because Basalt runs as"
          + " root, and that user cannot enter directory " + dir + " (owner "
          + attributes.owner().getName() + ", mode " + PosixFilePermissions.toString(mode)
          + ") on the way to " + target + ". Use a directory that user can reach (for example"
          + " under /var/lib/basalt or /tmp), or allow it in: chmod o+x " + dir);
    }
  }

  private static Set<String> groupsOf(String user) {
    ProcessResult result = ProcessRunner.run(List.of("id", "-Gn", user), LOOKUP_TIMEOUT);
    if (!result.succeeded()) {
      throw new AgentException("OS user '" + user + "' does not exist: " + result.output().strip());
    }
    return Set.of(result.stdout().strip().split("\\s+"));
  }

  private static List<String> switchUserPrefix(String user) {
    for (String location : RUNUSER_LOCATIONS) {
      if (Files.isExecutable(Path.of(location))) {
        return List.of(location, "-u", user, "--");
      }
    }
    // util-linux without runuser (rare): setpriv does the same without PAM.
    return List.of("setpriv", "--reuid=" + user, "--regid=" + primaryGroupId(user),
        "--init-groups", "--");
  }

  private static String primaryGroupId(String user) {
    return ProcessRunner.run(List.of("id", "-g", user), LOOKUP_TIMEOUT).requireSuccess().stdout()
        .strip();
  }

  static boolean userExists(String user) {
    return ProcessRunner.run(List.of("id", "-u", user), LOOKUP_TIMEOUT).succeeded();
  }

  /** Whether this process runs with effective user id 0. */
  static boolean isRoot() {
    Path status = Path.of("/proc/self/status");
    if (Files.isReadable(status)) {
      try {
        for (String line : Files.readAllLines(status)) {
          if (line.startsWith("Uid:")) {
            String[] ids = line.substring(4).trim().split("\\s+");
            return ids.length > 1 && ids[1].equals("0");
          }
        }
      } catch (IOException e) {
        LOG.debug("cannot read {}: {}", status, e.getMessage());
      }
    }
    return ProcessRunner.run(List.of("id", "-u"), LOOKUP_TIMEOUT).requireSuccess().stdout().strip()
        .equals("0");
  }
}
