package io.basalt.coordinator.copy;

/** COPY's three data formats. */
public enum CopyFormat { TEXT, CSV, BINARY }
