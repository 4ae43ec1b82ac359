/**
 * PostgreSQL's hash functions in pure Java, bit for bit: {@link io.basalt.metadata.hash.PgHash}
 * hashes Java values, {@link io.basalt.metadata.hash.DistributionColumnType} hashes values in
 * PostgreSQL's text or binary wire format by type OID. A row's shard is chosen by this hash, so
 * Basalt and the workers must agree on it exactly.
 */
package io.basalt.metadata.hash;
