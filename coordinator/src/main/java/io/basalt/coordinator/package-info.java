/** The Basalt server: where the wire layer, planner and executor meet, one session per client. */
package io.basalt.coordinator;
