/**
 * Connections to PostgreSQL servers: endpoints, the Unix-domain socket transport, and the one
 * place where pgjdbc errors become {@link io.basalt.error.BasaltException}.
 */
package io.basalt.executor.backend;
