/** The command line: start, stop and status of the embedded default, and the server process. */
package io.basalt.coordinator.cli;
