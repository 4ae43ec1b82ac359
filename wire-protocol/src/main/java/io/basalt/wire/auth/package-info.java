/**
 * Password authentication as PostgreSQL performs it: cleartext, md5 and SCRAM-SHA-256 (RFC 5802,
 * RFC 7677) against the stored forms found in pg_authid.rolpassword. Each exchange is a small state
 * machine fed with the payloads of the client's 'p' messages; the connection handler does the I/O.
 * Failures never reveal whether a role exists.
 */
package io.basalt.wire.auth;
