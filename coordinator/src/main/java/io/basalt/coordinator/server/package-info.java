/**
 * The coordinator server: the wire server, the session factory behind it, and the lookups it
 * needs from the coordinator database (role passwords).
 */
package io.basalt.coordinator.server;
