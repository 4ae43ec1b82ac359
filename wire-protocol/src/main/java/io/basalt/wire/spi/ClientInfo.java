package io.basalt.wire.spi;

import java.net.InetSocketAddress;

/** Who is connecting: the peer address and whether the connection is TLS-protected. */
public record ClientInfo(InetSocketAddress remoteAddress, boolean ssl) {}
