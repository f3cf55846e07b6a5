package org.gossipdrive.fs.daemon;

import java.util.List;
import java.util.Optional;
import org.gossipdrive.engine.Replica;
import org.gossipdrive.engine.commit.Mutations;
import org.gossipdrive.engine.tree.FileType;
import org.gossipdrive.engine.tree.FileVersion;
import org.gossipdrive.engine.tree.StoredVersion;

/**
 * The versions of one path ({@code gossipdrive history}) and bringing an old one back ({@code
 * gossipdrive restore}). A version is named by its ledger sequence number on this device.
 */
final class FileHistory {
  private final Daemon daemon;

  FileHistory(Daemon daemon) {
    this.daemon = daemon;
  }

  /** The versions of the entry now at {@code path}, oldest first. */
  List<StoredVersion> of(String path) {
    FileVersion entry = live(path);
    return daemon.replica().history(entry.id());
  }

  String json(String path) {
    StringBuilder out =
        new StringBuilder("{\"path\":").append(Json.quote(path)).append(",\"versions\":[");
    String separator = "";
    for (StoredVersion stored : of(path)) {
      FileVersion v = stored.version();
      out.append(separator)
          .append("{\"version\":")
          .append(stored.sequence())
          .append(",\"name\":")
          .append(Json.quote(v.name()))
          .append(",\"size\":")
          .append(v.size())
          .append(",\"deleted\":")
          .append(v.deleted())
          .append(",\"author\":")
          .append(Json.quote(daemon.deviceName(v.author())))
          .append(",\"time\":")
          .append(Json.quote(v.timestamp().toInstant().toString()))
          .append('}');
      separator = ",";
    }
    return out.append("]}\n").toString();
  }

  String text(String path) {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format("%-9s %-24s %-12s %12s  %s%n", "version", "time", "by", "bytes", "name"));
    for (StoredVersion stored : of(path)) {
      FileVersion v = stored.version();
      out.append(
          String.format(
              "%-9d %-24s %-12s %12s  %s%n",
              stored.sequence(),
              v.timestamp().toInstant(),
              TerminalText.escape(daemon.deviceName(v.author())),
              v.deleted() ? "deleted" : Long.toString(v.size()),
              TerminalText.escape(v.name())));
    }
    return out.toString();
  }

  /**
   * Makes version {@code sequence} of the file at {@code path} its content again, as a new version
   * (history keeps everything in between).
   *
   * @throws IllegalArgumentException when there is no such version, or it is not file content
   * @throws IllegalStateException when another device holds the file's lock
   */
  FileVersion restore(String path, long sequence) {
    FileVersion current = live(path);
    if (daemon.locks().heldElsewhere(path)) {
      throw new IllegalStateException(
          TerminalText.escape(path)
              + " is locked by "
              + TerminalText.escape(daemon.locks().lock(path).orElseThrow().holderName()));
    }
    FileVersion old =
        daemon.replica().history(current.id()).stream()
            .filter(s -> s.sequence() == sequence)
            .map(StoredVersion::version)
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException(path + " has no version " + sequence));
    if (old.type() != FileType.FILE || current.type() != FileType.FILE || old.deleted()) {
      throw new IllegalArgumentException(
          "version " + sequence + " of " + path + " is not file content");
    }
    Replica replica = daemon.replica();
    return replica
        .commit(
            Mutations.replaceContent(
                current.id(),
                new Mutations.Content(old.chunks(), old.size()),
                System.currentTimeMillis() * 1_000_000L),
            true)
        .only()
        .version();
  }

  private FileVersion live(String path) {
    Optional<FileVersion> entry = daemon.replica().resolve(path).filter(v -> !v.deleted());
    return entry.orElseThrow(
        () -> new IllegalArgumentException(path + " does not exist on the drive"));
  }
}
