package org.gossipdrive.engine.maintenance;

/** What a garbage collection freed. */
public record GcReport(long chunksRemoved, long storedBytesRemoved) {}
