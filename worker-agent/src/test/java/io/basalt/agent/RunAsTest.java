package io.basalt.agent;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.basalt.agent.testing.TestDirectories;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RunAsTest {
  private Path directory;

  @AfterEach
  void delete() {
    if (directory != null) {
      TestDirectories.delete(directory);
    }
  }

  @Test
  void theCurrentUserRunsCommandsUnchanged() {
    assertEquals(List.of("pg_ctl", "status"),
        RunAs.currentUser().wrap(List.of("pg_ctl", "status")));
  }

  @Test
  void anotherUserRunsCommandsThroughRunuser() {
    List<String> wrapped = RunAs.user("postgres").wrap(List.of("pg_ctl", "status"));

    assertTrue(wrapped.get(0).endsWith("runuser") || wrapped.get(0).equals("setpriv"),
        "" + wrapped);
    assertEquals(List.of("pg_ctl", "status"), wrapped.subList(wrapped.size() - 2, wrapped.size()));
    assertTrue(wrapped.contains("postgres"));
  }

  @Test
  void rejectsWhatIsNoUserName() {
    assertThrows(IllegalArgumentException.class, () -> RunAs.user("-u root"));
    assertThrows(IllegalArgumentException.class, () -> RunAs.user(""));
  }

  @Test
  void rootHandsPostgresToAnUnprivilegedUser() {
    RunAs detected = RunAs.detect();
    if (RunAs.isRoot()) {
      assertEquals(Optional.of(RunAs.userExists("postgres") ? "postgres" : "nobody"),
          detected.osUser());
      String whoami = ProcessRunner.run(detected.wrap(List.of("id", "-u")),
          ProcessRunner.DEFAULT_TIMEOUT).requireSuccess().stdout().strip();
      assertNotEquals("0", whoami);
    } else {
      assertEquals(RunAs.currentUser(), detected);
    }
  }

  @Test
  void namesTheDirectoryTheServerUserCannotEnter() throws Exception {
    assumeTrue(RunAs.isRoot(), "only root runs PostgreSQL as another user");
    directory = TestDirectories.create("runas");
    Path locked = Files.createDirectory(directory.resolve("locked"));
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
    RunAs runAs = RunAs.detect();

    AgentException error = assertThrows(AgentException.class,
        () -> runAs.requireReachable(locked.resolve("pg").resolve("data")));

    assertTrue(error.getMessage().contains("cannot enter directory " + locked + " "),
        error.getMessage());
    assertTrue(error.getMessage().contains("chmod o+x " + locked), error.getMessage());
    assertDoesNotThrow(() -> runAs.requireReachable(directory.resolve("open/data")));
  }

  @Test
  void claimHandsATreeToTheServerUser() throws Exception {
    assumeTrue(RunAs.isRoot(), "only root can give files away");
    directory = TestDirectories.create("runas");
    Path file = Files.writeString(Files.createDirectory(directory.resolve("tree")).resolve("f"),
        "x");
    RunAs runAs = RunAs.detect();

    runAs.claim(directory.resolve("tree"));

    assertEquals(runAs.osUser().orElseThrow(), Files.getOwner(file).getName());
    assertEquals(runAs.osUser().orElseThrow(),
        Files.getOwner(directory.resolve("tree")).getName());
  }
}
