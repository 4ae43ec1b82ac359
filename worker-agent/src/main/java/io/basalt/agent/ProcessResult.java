package io.basalt.agent;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/** The outcome of one finished external command. */
public record ProcessResult(List<String> command, int exitCode, String stdout, String stderr) {
  public ProcessResult {
    command = List.copyOf(command);
    Objects.requireNonNull(stdout, "stdout");
    Objects.requireNonNull(stderr, "stderr");
  }

  public boolean succeeded() {
    return exitCode == 0;
  }

  /** Returns this result, or throws when the command exited with a non-zero code. */
  public ProcessResult requireSuccess() {
    if (!succeeded()) {
      throw new AgentException("command failed with exit code " + exitCode + ": "
          + commandLine(command) + describeOutput());
    }
    return this;
  }

  /** Standard output and standard error together, for messages and logs. */
  public String output() {
    if (stderr.isEmpty()) {
      return stdout;
    }
    if (stdout.isEmpty()) {
      return stderr;
    }
    return stdout + (stdout.endsWith("\n") ? "" : "\n") + stderr;
  }

  private String describeOutput() {
    String out = output().strip();
    return out.isEmpty() ? " (no output)" : "\n" + out;
  }

  /** A command as a person would type it, so it can be copied from a log and re-run. */
  static String commandLine(List<String> command) {
    return command.stream().map(ProcessResult::shellQuote).collect(Collectors.joining(" "));
  }

  private static String shellQuote(String arg) {
    if (!arg.isEmpty() && arg.matches("[A-Za-z0-9_@%+=:,./-]+")) {
      return arg;
    }
    return "'" + arg.replace("'", "'\\''") + "'";
  }
}
