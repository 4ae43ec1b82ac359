/**
 * Bytes ↔ typed messages. {@link io.basalt.wire.codec.FrontendDecoder} frames and decodes what a
 * client sends, {@link io.basalt.wire.codec.BackendEncoder} lays out what the server sends, and
 * {@link io.basalt.wire.codec.Protocol} is the only place that knows tag bytes and request codes.
 * Nothing here knows about authentication or sessions.
 */
package io.basalt.wire.codec;
