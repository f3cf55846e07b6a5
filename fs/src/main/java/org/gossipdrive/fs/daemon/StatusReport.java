package org.gossipdrive.fs.daemon;

import java.time.Instant;
import java.util.List;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.net.membership.MemberStatus;
import org.gossipdrive.net.sync.SyncEvent;
import org.gossipdrive.net.trust.Removal;
import org.gossipdrive.net.trust.TrustedSet;

/** What {@code gossipdrive status} shows: this device, its mount, its peers and recent syncs. */
final class StatusReport {
  private static final int HISTORY = 20;
  private final Daemon daemon;

  StatusReport(Daemon daemon) {
    this.daemon = daemon;
  }

  String json() {
    StringBuilder out = new StringBuilder("{");
    out.append("\"device\":").append(Json.quote(daemon.identity().id().value()));
    out.append(",\"name\":").append(Json.quote(daemon.name()));
    out.append(",\"drive\":").append(Json.quote(daemon.trust().driveId().orElse("")));
    out.append(",\"mount\":").append(Json.quote(daemon.mountPoint().toString()));
    out.append(",\"listen\":").append(Json.quote(KnownPeers.format(daemon.listening())));
    out.append(",\"discovery\":").append(daemon.discoveryOn());
    out.append(",\"recordsBehind\":").append(daemon.replicator().recordsBehind());
    out.append(",\"snapshot\":").append(snapshotJson());
    out.append(",\"peers\":").append(peersJson());
    out.append(",\"history\":[");
    String separator = "";
    for (SyncEvent event : recent()) {
      out.append(separator).append('{');
      out.append("\"peer\":").append(Json.quote(event.peer().value()));
      out.append(",\"started\":").append(instant(event.started()));
      out.append(",\"millis\":").append(event.duration().toMillis());
      out.append(",\"received\":").append(event.received());
      out.append(",\"applied\":").append(event.applied());
      out.append(",\"conflicts\":").append(event.conflicts());
      out.append(",\"sent\":").append(event.sent());
      out.append(",\"error\":").append(event.error() == null ? "null" : Json.quote(event.error()));
      out.append('}');
      separator = ",";
    }
    out.append("],").append(new LockReport(daemon).fields());
    return out.append("}\n").toString();
  }

  String text() {
    StringBuilder out = new StringBuilder();
    out.append("device  ")
        .append(daemon.identity().id().value())
        .append(" (")
        .append(TerminalText.escape(daemon.name()))
        .append(")\n");
    out.append("drive   ").append(daemon.trust().driveId().orElse("?")).append('\n');
    out.append("mount   ").append(TerminalText.escape(daemon.mountPoint().toString())).append('\n');
    out.append("listen  ").append(KnownPeers.format(daemon.listening())).append('\n');
    long behind = daemon.replicator().recordsBehind();
    var snapshot = daemon.replicator().snapshotProgress();
    out.append("sync    ")
        .append(
            snapshot.isPresent()
                ? String.format(
                    java.util.Locale.ROOT,
                    "joining from a snapshot of %s: %d%% (%,d of %,d entries applied)",
                    TerminalText.escape(daemon.deviceName(snapshot.get().from())),
                    (int) (snapshot.get().share() * 100),
                    snapshot.get().recordsApplied(),
                    snapshot.get().recordsTotal())
                : behind == 0
                    ? "up to date with the peers heard from"
                    : behind + " records to fetch")
        .append('\n');
    out.append(peersText());
    out.append("locks\n");
    new LockReport(daemon).text().lines().forEach(l -> out.append("  ").append(l).append('\n'));
    return out.toString();
  }

  /** The snapshot being fetched or applied (null when none): its share done, for a bar. */
  private String snapshotJson() {
    var snapshot = daemon.replicator().snapshotProgress();
    if (snapshot.isEmpty()) {
      return "null";
    }
    var s = snapshot.get();
    return "{\"from\":"
        + Json.quote(s.from().value())
        + ",\"bytesReceived\":"
        + s.bytesReceived()
        + ",\"bytesTotal\":"
        + s.bytesTotal()
        + ",\"recordsApplied\":"
        + s.recordsApplied()
        + ",\"recordsTotal\":"
        + s.recordsTotal()
        + ",\"percent\":"
        + (int) (s.share() * 100)
        + "}";
  }

  /** Every trusted peer: state, last seen, last sync, traffic. */
  String peersJson() {
    StringBuilder out = new StringBuilder("[");
    String separator = "";
    for (MemberStatus peer : daemon.membership().view()) {
      out.append(separator).append('{');
      out.append("\"id\":").append(Json.quote(peer.id().value()));
      out.append(",\"name\":").append(Json.quote(peer.name()));
      out.append(",\"state\":")
          .append(Json.quote(peer.state().name().toLowerCase(java.util.Locale.ROOT)));
      out.append(",\"lastSeen\":").append(instant(peer.lastSeen()));
      out.append(",\"lastSync\":")
          .append(instant(daemon.replicator().lastSync(peer.id()).orElse(null)));
      out.append(",\"linked\":").append(daemon.linkedTo(peer.id()));
      out.append(",\"damagedChunks\":")
          .append(daemon.replicator().damagedChunks().getOrDefault(peer.id(), 0L));
      out.append(",\"bytesIn\":").append(peer.bytesIn());
      out.append(",\"bytesOut\":").append(peer.bytesOut());
      admittedByRemoved(peer.id())
          .ifPresent(by -> out.append(",\"admittedByRemoved\":").append(Json.quote(by.value())));
      out.append('}');
      separator = ",";
    }
    for (Removal removal : removals()) {
      out.append(separator).append('{');
      out.append("\"id\":").append(Json.quote(removal.device().value()));
      out.append(",\"name\":").append(Json.quote(daemon.deviceName(removal.device())));
      out.append(",\"state\":\"removed\"");
      out.append(",\"self\":").append(removal.device().equals(daemon.identity().id()));
      out.append(",\"removedBy\":").append(Json.quote(removal.removedBy().value()));
      out.append(",\"removedByName\":").append(Json.quote(daemon.deviceName(removal.removedBy())));
      out.append(",\"removedAt\":")
          .append(instant(Instant.ofEpochMilli(removal.removedAtMillis())));
      out.append(",\"lastRecord\":").append(removal.lastSequence());
      out.append('}');
      separator = ",";
    }
    return out.append(']').toString();
  }

  /** Removed devices, this one included if it was removed (ADR 39). */
  private List<Removal> removals() {
    return daemon.trust().current().map(s -> List.copyOf(s.removals())).orElse(List.of());
  }

  /**
   * The removed device that admitted {@code device}, if any: flagged, not removed with it (ADR 39).
   */
  private java.util.Optional<DeviceId> admittedByRemoved(DeviceId device) {
    return daemon
        .trust()
        .current()
        .flatMap(
            set ->
                set.member(device)
                    .map(TrustedSet.Member::addedBy)
                    .filter(by -> !by.equals(device) && set.removal(by).isPresent()));
  }

  /** One line saying who removed a device and which of its records stay. */
  static String removedLine(Daemon daemon, Removal removal) {
    boolean self = removal.device().equals(daemon.identity().id());
    return "removed "
        + TerminalText.escape(daemon.deviceName(removal.device()))
        + (self ? " (this device)" : "")
        + " "
        + removal.device().value()
        + " by "
        + TerminalText.escape(daemon.deviceName(removal.removedBy()))
        + ": its records up to #"
        + removal.lastSequence()
        + " stay in history, later ones are refused; it keeps the files it already has";
  }

  String peersText() {
    StringBuilder out = new StringBuilder();
    List<MemberStatus> peers = daemon.membership().view();
    List<Removal> removals = removals();
    out.append(peers.isEmpty() && removals.isEmpty() ? "peers   none trusted yet\n" : "peers\n");
    for (MemberStatus peer : peers) {
      out.append(
          String.format(
              "  %-10s %-8s %-8s last seen %s, last sync %s, %d B in, %d B out%n",
              TerminalText.escape(peer.name()),
              peer.state().name().toLowerCase(java.util.Locale.ROOT),
              daemon.linkedTo(peer.id()) ? "direct" : "indirect",
              peer.lastSeen() == null ? "never" : peer.lastSeen(),
              daemon.replicator().lastSync(peer.id()).map(Instant::toString).orElse("never"),
              peer.bytesIn(),
              peer.bytesOut()));
      admittedByRemoved(peer.id())
          .ifPresent(
              by ->
                  out.append("             admitted by ")
                      .append(TerminalText.escape(daemon.deviceName(by)))
                      .append(", since removed\n"));
    }
    for (Removal removal : removals) {
      out.append(
          String.format(
              "  %-10s removed  %sby %s at %s; its records after #%d are refused%n",
              TerminalText.escape(daemon.deviceName(removal.device())),
              removal.device().equals(daemon.identity().id()) ? "(this device) " : "",
              TerminalText.escape(daemon.deviceName(removal.removedBy())),
              Instant.ofEpochMilli(removal.removedAtMillis()),
              removal.lastSequence()));
    }
    return out.toString();
  }

  private List<SyncEvent> recent() {
    List<SyncEvent> history = daemon.replicator().history();
    return history.subList(Math.max(0, history.size() - HISTORY), history.size());
  }

  private static String instant(Instant instant) {
    return instant == null ? "null" : Json.quote(instant.toString());
  }
}
