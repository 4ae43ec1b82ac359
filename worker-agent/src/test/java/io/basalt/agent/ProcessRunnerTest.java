package io.basalt.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcessRunnerTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @Test
  void collectsOutputAndExitCode() {
    ProcessResult result = ProcessRunner.run(
        List.of("sh", "-c", "echo out; echo err >&2; exit 3"), TIMEOUT);

    assertEquals(3, result.exitCode());
    assertEquals("out\n", result.stdout());
    assertEquals("err\n", result.stderr());
  }

  @Test
  void failureNamesCommandExitCodeAndOutput() {
    ProcessResult result = ProcessRunner.run(
        List.of("sh", "-c", "echo broken >&2; exit 2", "with space"), TIMEOUT);

    AgentException error = assertThrows(AgentException.class, result::requireSuccess);

    assertEquals("command failed with exit code 2: sh -c 'echo broken >&2; exit 2' "
        + "'with space'\nbroken", error.getMessage());
  }

  @Test
  void feedsStandardInputAndCleansThePostgresEnvironment() {
    // Surefire sets PGHOST for this module (see pom.xml), as a careless shell profile might.

    ProcessResult result = ProcessRunner.run(
        List.of("sh", "-c", "cat; echo \"[${PGHOST:-unset}] [$EXTRA] $(pwd)\""),
        Map.of("EXTRA", "yes"), "from stdin\n", TIMEOUT);

    assertEquals("from stdin\n[unset] [yes] /\n", result.requireSuccess().stdout());
  }

  @Test
  void killsACommandThatRunsTooLong() {
    long start = System.nanoTime();
    AgentException error = assertThrows(AgentException.class,
        () -> ProcessRunner.run(List.of("sleep", "30"), Duration.ofMillis(300)));

    assertTrue(error.getMessage().contains("sleep 30"), error.getMessage());
    assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 10);
  }

  @Test
  void aMissingProgramIsAClearError() {
    AgentException error = assertThrows(AgentException.class,
        () -> ProcessRunner.run(List.of("/nonexistent/initdb"), TIMEOUT));

    assertTrue(error.getMessage().startsWith("cannot run /nonexistent/initdb"),
        error.getMessage());
  }
}
