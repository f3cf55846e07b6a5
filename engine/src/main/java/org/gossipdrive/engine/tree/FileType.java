package org.gossipdrive.engine.tree;

/** What a tree entry is. A deleted entry keeps its type and is marked as a tombstone. */
public enum FileType {
  FILE,
  DIRECTORY,
  SYMLINK;

  static FileType fromCode(int code, org.gossipdrive.engine.codec.RecordReader reader) {
    FileType[] values = values();
    if (code < 0 || code >= values.length) {
      throw reader.fail("unknown file type " + code);
    }
    return values[code];
  }
}
