package org.gossipdrive.fs.vfs;

import java.time.Instant;

/** A save kept as a conflict copy because it was based on an outdated version of {@code path}. */
public record StaleSave(String path, String keptAs, Instant when) {}
