package io.basalt.agent;

/**
 * A local PostgreSQL server could not be found, prepared, started, stopped or queried. These are
 * operational failures, not SQL errors, so they carry no SQLSTATE; the message is written for the
 * operator and names what failed (command, directory, port) and, where known, what to do.
 */
public final class AgentException extends RuntimeException {
  public AgentException(String message) {
    super(message);
  }

  public AgentException(String message, Throwable cause) {
    super(message, cause);
  }
}
