/**
 * The listening server: configuration ({@link io.basalt.wire.server.WireConfig}, pg_hba rules, TLS),
 * the Netty bootstrap ({@link io.basalt.wire.server.PgServer}) and the per-connection state machine
 * ({@link io.basalt.wire.server.ConnectionHandler}) that takes a client from its first byte to an
 * open {@link io.basalt.wire.spi.ClientSession}.
 */
package io.basalt.wire.server;
