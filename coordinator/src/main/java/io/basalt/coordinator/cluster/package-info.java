/**
 * The embedded default cluster: a coordinator database and N worker PostgreSQL servers under one
 * data directory, prepared and supervised through the worker-agent module.
 */
package io.basalt.coordinator.cluster;
