/**
 * Runs work on PostgreSQL servers through pgjdbc's protocol layer and hands results on as raw
 * column bytes, so nothing is re-encoded on the way to the client.
 */
package io.basalt.executor;
