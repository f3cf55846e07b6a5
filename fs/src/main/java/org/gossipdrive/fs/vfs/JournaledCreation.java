package org.gossipdrive.fs.vfs;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.gossipdrive.engine.store.CloseJournal;
import org.gossipdrive.engine.tree.FileId;
import org.gossipdrive.engine.tree.FileVersion;

/**
 * A new file as {@code close()} left it, before the tree holds it: where it goes, its mode, mtime
 * and content. The close journal's entry format (version 1), decoded with every length checked.
 */
record JournaledCreation(FileId parent, String name, int mode, long mtimeNanos, byte[] content) {
  private static final byte FORMAT = 1;
  private static final int HEADER = 1 + FileId.LENGTH + 4 + 8 + 2 + 4;

  /** The largest content an entry holds: bigger files are committed at close as before. */
  static final int MAX_CONTENT = 64 * 1024;

  byte[] encode() {
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    ByteBuffer out = ByteBuffer.allocate(HEADER + nameBytes.length + content.length);
    out.put(FORMAT).put(parent.toBytes()).putInt(mode).putLong(mtimeNanos);
    out.putShort((short) nameBytes.length).put(nameBytes);
    out.putInt(content.length).put(content);
    return out.array();
  }

  /** The entry in {@code bytes}, or empty when it is not one this version wrote. */
  static Optional<JournaledCreation> decode(byte[] bytes) {
    if (bytes.length < HEADER
        || bytes.length > CloseJournal.MAX_ENTRY_BYTES
        || bytes[0] != FORMAT) {
      return Optional.empty();
    }
    ByteBuffer in = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
    FileId parent = FileId.of(bytes, 1);
    in.position(1 + FileId.LENGTH);
    int mode = in.getInt();
    long mtime = in.getLong();
    int nameLength = Short.toUnsignedInt(in.getShort());
    if (nameLength == 0
        || nameLength > FileVersion.MAX_NAME_BYTES
        || in.remaining() < nameLength + 4) {
      return Optional.empty();
    }
    byte[] nameBytes = new byte[nameLength];
    in.get(nameBytes);
    int contentLength = in.getInt();
    if (contentLength < 0 || contentLength > MAX_CONTENT || contentLength != in.remaining()) {
      return Optional.empty();
    }
    byte[] content = new byte[contentLength];
    in.get(content);
    return Optional.of(
        new JournaledCreation(
            parent, new String(nameBytes, StandardCharsets.UTF_8), mode & 07777, mtime, content));
  }
}
