/**
 * Typed PostgreSQL v3 protocol messages: one record per message kind, one sealed interface per
 * direction. Byte layouts live only in the codec package.
 */
package io.basalt.wire.message;
