package org.gossipdrive.fs.vfs;

/**
 * What an open asks for, decoded by the binding (the bit values of {@code open(2)} differ between
 * Linux, macOS and Windows).
 */
public record OpenFlags(boolean writing, boolean exclusive, boolean truncate) {
  public static final OpenFlags READ = new OpenFlags(false, false, false);
}
