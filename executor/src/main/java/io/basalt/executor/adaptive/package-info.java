/**
 * The adaptive executor's policies, free of servers and threads so they can be tested with a
 * fake clock: how many connections a node's pool opens and when ({@link
 * io.basalt.executor.adaptive.SlowStart}), the settings that steer it ({@link
 * io.basalt.executor.adaptive.PoolSettings}), and the cap on connections per worker across all
 * sessions ({@link io.basalt.executor.adaptive.SharedConnections}).
 */
package io.basalt.executor.adaptive;
