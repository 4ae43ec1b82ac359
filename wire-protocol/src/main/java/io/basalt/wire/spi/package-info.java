/**
 * What the wire layer needs from the rest of Basalt, as interfaces the coordinator implements.
 * The wire layer owns bytes, framing, TLS and authentication; everything that touches SQL lives
 * behind {@link io.basalt.wire.spi.SessionFactory}.
 */
package io.basalt.wire.spi;
