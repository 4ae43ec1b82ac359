/**
 * Prepares and supervises one local PostgreSQL server: finds the binaries ({@link
 * io.basalt.agent.PgBinaries}), creates and configures the data directory, starts and stops the
 * server ({@link io.basalt.agent.PostgresServer}) and reports its health.
 *
 * <p>The launcher uses this package for the coordinator database and for every embedded worker,
 * and integration tests use the very same code, so a test server is configured exactly like a
 * product one. PostgreSQL refuses to run as root; {@link io.basalt.agent.RunAs} decides which OS
 * user the PostgreSQL programs run as and owns the directories that user needs.
 *
 * <p>Every failure surfaces as {@link io.basalt.agent.AgentException}, whose message names the
 * command, directory or port involved, because the reader is usually an operator looking at a
 * launcher that did not come up.
 */
package io.basalt.agent;
