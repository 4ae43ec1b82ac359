/**
 * Test fixtures for real PostgreSQL servers, shared with other modules through this module's
 * test-jar: fresh directories under /tmp and servers started with the product's own code on free
 * ports, with fsync off because a test's data need not survive a power cut.
 */
package io.basalt.agent.testing;
