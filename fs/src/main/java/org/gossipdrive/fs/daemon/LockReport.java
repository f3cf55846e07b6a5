package org.gossipdrive.fs.daemon;

import java.time.Instant;
import java.util.List;
import org.gossipdrive.engine.lock.Lock;
import org.gossipdrive.fs.vfs.StaleSave;

/** What {@code gossipdrive locks} shows: every lock this device knows, and saves kept aside. */
final class LockReport {
  private final Daemon daemon;

  LockReport(Daemon daemon) {
    this.daemon = daemon;
  }

  String json() {
    return "{" + fields() + "}\n";
  }

  /** The report's JSON members, for embedding in another object (the status). */
  String fields() {
    StringBuilder out = new StringBuilder("\"locks\":[");
    String separator = "";
    for (Lock lock : daemon.locks().all()) {
      out.append(separator).append(lockJson(lock));
      separator = ",";
    }
    out.append("],\"staleSaves\":[");
    separator = "";
    for (StaleSave save : daemon.mount().vfs().staleSaves()) {
      out.append(separator)
          .append("{\"path\":")
          .append(Json.quote(save.path()))
          .append(",\"keptAs\":")
          .append(Json.quote(save.keptAs()))
          .append(",\"when\":")
          .append(Json.quote(save.when().toString()))
          .append('}');
      separator = ",";
    }
    out.append("],\"brokenHere\":[");
    separator = "";
    for (String path : daemon.locks().brokenLocks()) {
      out.append(separator).append(Json.quote(path));
      separator = ",";
    }
    return out.append("]").toString();
  }

  String lockJson(Lock lock) {
    boolean mine = lock.holder().equals(daemon.identity().id());
    return "{\"path\":"
        + Json.quote(lock.path())
        + ",\"holder\":"
        + Json.quote(lock.holder().value())
        + ",\"holderName\":"
        + Json.quote(lock.holderName())
        + ",\"mine\":"
        + mine
        + ",\"since\":"
        + Json.quote(lock.since().toString())
        + ",\"leaseExpires\":"
        + (mine ? "null" : Json.quote(lock.expires().toString()))
        + ",\"owners\":["
        + String.join(
            ",",
            (mine ? daemon.mount().vfs().lockOwners(lock.path()) : List.<String>of())
                .stream().map(Json::quote).toList())
        + "]}";
  }

  String text() {
    List<Lock> locks = daemon.locks().all();
    StringBuilder out = new StringBuilder();
    if (locks.isEmpty()) {
      out.append("no locks\n");
    }
    for (Lock lock : locks) {
      boolean mine = lock.holder().equals(daemon.identity().id());
      out.append(
          String.format(
              "%s  held by %s%s since %s, %s%n",
              TerminalText.escape(lock.path()),
              TerminalText.escape(lock.holderName()),
              mine
                  ? " (this device: "
                      + TerminalText.escape(
                          String.join(", ", daemon.mount().vfs().lockOwners(lock.path())))
                      + ")"
                  : "",
              lock.since(),
              mine ? "renewed while held" : "lease until " + lock.expires() + " unless renewed"));
    }
    for (StaleSave save : daemon.mount().vfs().staleSaves()) {
      out.append(
          String.format(
              "save of %s at %s was based on an outdated version: kept as %s%n",
              TerminalText.escape(save.path()), save.when(), TerminalText.escape(save.keptAs())));
    }
    for (String path : daemon.locks().brokenLocks()) {
      out.append("this device's lock on ")
          .append(TerminalText.escape(path))
          .append(" was broken by another device\n");
    }
    return out.toString();
  }

  static String instant(Instant instant) {
    return instant == null ? "null" : Json.quote(instant.toString());
  }
}
