/**
 * Client sessions: the protocol state a client sees (transaction status, prepared statements,
 * portals, reported parameters, client encoding) and the thread that runs its statements.
 */
package io.basalt.coordinator.session;
