package org.gossipdrive.net.transport;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.net.identity.DeviceIdentity;
import org.gossipdrive.net.wire.FrameReader;
import org.gossipdrive.net.wire.FrameWriter;
import org.gossipdrive.net.wire.Protocol;
import org.gossipdrive.net.wire.WireException;
import org.gossipdrive.net.wire.proto.Frame;
import org.gossipdrive.net.wire.proto.Hello;
import org.gossipdrive.net.wire.proto.Lane;
import org.gossipdrive.net.wire.proto.Ping;
import org.gossipdrive.net.wire.proto.Pong;

/**
 * TLS 1.3 connections between devices: a listener, an outgoing connector, Hello negotiation,
 * keepalive, and the reader loop that hands trusted frames to a {@link FrameListener}.
 *
 * <p>Each peer pair uses one connection per {@link Lane}: control messages (gossip, membership,
 * locks) never wait behind chunk data on the bulk lane.
 */
public final class Transport implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Transport.class.getName());
  private static final String SOFTWARE = "GossipDrive/0.1";

  private final DeviceIdentity identity;
  private final String driveId;
  private final String deviceName;
  private final TrustPolicy trust;
  private final TransportConfig config;
  private final FrameListener listener;
  private final SSLContext serverContext;
  private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService keepalive;
  private final AtomicLong pingNonce = new AtomicLong();
  private final IncomingLimits incoming;
  private volatile JoinHandler joinHandler;
  private volatile SSLServerSocket server;
  private volatile boolean closed;

  public Transport(
      DeviceIdentity identity,
      String driveId,
      String deviceName,
      TrustPolicy trust,
      TransportConfig config,
      FrameListener listener) {
    this.identity = identity;
    this.driveId = driveId;
    this.deviceName = deviceName;
    this.trust = trust;
    this.config = config;
    this.listener = listener;
    this.serverContext =
        TlsContexts.create(
            identity,
            // A removed device may not come back as a joiner either (ADR 39).
            id -> trust.isTrusted(id) || (trust.admitsJoiners() && !trust.isRemoved(id)),
            "incoming device");
    this.keepalive =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon(true).name("gossipdrive-keepalive").factory());
    this.incoming = new IncomingLimits(keepalive);
    long period = config.keepaliveInterval().toMillis();
    keepalive.scheduleAtFixedRate(this::keepAlive, period, period, TimeUnit.MILLISECONDS);
  }

  public DeviceIdentity identity() {
    return identity;
  }

  public void setJoinHandler(JoinHandler handler) {
    this.joinHandler = handler;
  }

  /** Starts accepting connections; returns the bound address (port 0 picks a free port). */
  public InetSocketAddress listen(InetSocketAddress bind) throws IOException {
    SSLServerSocket socket =
        (SSLServerSocket) serverContext.getServerSocketFactory().createServerSocket();
    socket.setReuseAddress(true);
    socket.bind(bind, 128);
    socket.setNeedClientAuth(true);
    configure(socket);
    server = socket;
    Thread.ofPlatform().daemon(true).name("gossipdrive-accept").start(() -> acceptLoop(socket));
    return (InetSocketAddress) socket.getLocalSocketAddress();
  }

  private void configure(SSLServerSocket socket) {
    socket.setEnabledProtocols(new String[] {"TLSv1.3"});
    socket.setEnabledCipherSuites(config.cipherSuites().toArray(String[]::new));
    var parameters = socket.getSSLParameters();
    parameters.setUseCipherSuitesOrder(true);
    socket.setSSLParameters(parameters);
  }

  private void acceptLoop(ServerSocket socket) {
    while (!closed) {
      try {
        Socket accepted = socket.accept();
        IncomingLimits.Slot slot = incoming.admit(accepted);
        if (slot == null) {
          // Refused before any TLS work; not logged, since a flood would fill the log.
          closeQuietly(accepted);
          continue;
        }
        // The whole handshake and Hello within the timeout, however slowly bytes trickle in.
        slot.closeAfter(config.handshakeTimeout());
        Thread.ofVirtual()
            .name("gossipdrive-incoming")
            .start(() -> handshakeIncoming((SSLSocket) accepted, slot));
      } catch (IOException e) {
        if (!closed) {
          LOG.log(Level.WARNING, "accept failed: {0}", e.getMessage());
        }
      }
    }
  }

  private void handshakeIncoming(SSLSocket socket, IncomingLimits.Slot slot) {
    try {
      Connection connection = establish(socket, null, null);
      if (connection.trusted()) {
        slot.release();
        start(connection, null);
      } else {
        // A join lane: one request and its answer, then it ends (ADR 35).
        slot.closeAfter(config.handshakeTimeout());
        start(connection, slot);
      }
    } catch (IOException e) {
      slot.release();
      LOG.log(
          Level.INFO,
          "incoming connection from {0} refused: {1}",
          socket.getRemoteSocketAddress(),
          e.getMessage());
      closeQuietly(socket);
    }
  }

  /**
   * Connects to a device whose id is known (from the trusted set, an invitation, or discovery) and
   * exchanges Hellos. The peer is pinned: any other key ends the handshake.
   */
  public Connection connect(InetSocketAddress address, DeviceId expected, Lane lane)
      throws IOException {
    if (trust.isRemoved(expected)) {
      throw new HandshakeException(expected + " was removed from the drive; not dialling it");
    }
    SSLContext context = TlsContexts.create(identity, expected::equals, "device at " + address);
    SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket();
    try {
      socket.setTcpNoDelay(true);
      socket.connect(address, (int) config.handshakeTimeout().toMillis());
      socket.setEnabledProtocols(new String[] {"TLSv1.3"});
      socket.setEnabledCipherSuites(config.cipherSuites().toArray(String[]::new));
      Connection connection = establish(socket, expected, lane);
      start(connection, null);
      return connection;
    } catch (IOException e) {
      closeQuietly(socket);
      throw e;
    }
  }

  /** Opens the control and bulk lanes to a peer. */
  public PeerLink connectPeer(InetSocketAddress address, DeviceId expected) throws IOException {
    Connection control = connect(address, expected, Lane.CONTROL);
    try {
      return new PeerLink(control, connect(address, expected, Lane.BULK));
    } catch (IOException e) {
      control.close("bulk lane failed");
      throw e;
    }
  }

  private Connection establish(SSLSocket socket, DeviceId expected, Lane lane) throws IOException {
    socket.setTcpNoDelay(true);
    socket.setSoTimeout((int) config.handshakeTimeout().toMillis());
    try {
      socket.startHandshake();
    } catch (SSLException e) {
      throw new HandshakeException("TLS handshake failed: " + e.getMessage(), e);
    }
    DeviceId peer;
    try {
      peer =
          PinningTrustManager.deviceIdOf(
              (java.security.cert.X509Certificate) socket.getSession().getPeerCertificates()[0]);
    } catch (java.security.cert.CertificateException e) {
      throw new HandshakeException(e.getMessage(), e);
    }
    if (expected != null && !expected.equals(peer)) {
      throw new HandshakeException("expected device " + expected + " but reached " + peer);
    }
    if (trust.isRemoved(peer)) {
      // Checked again after the handshake: the removal may have arrived while it ran.
      throw new HandshakeException(peer + " was removed from the drive");
    }
    boolean trusted = expected != null || trust.isTrusted(peer);
    FrameWriter writer = new FrameWriter(socket.getOutputStream());
    // Until the peer is known to be trusted, a frame is at most a few KiB (ADR 35).
    FrameReader reader =
        new FrameReader(
            new BufferedInputStream(socket.getInputStream(), 64 << 10),
            Protocol.MAX_UNTRUSTED_FRAME);
    Hello mine =
        Hello.newBuilder()
            .setProtocolMajor(Protocol.MAJOR)
            .setProtocolMinor(Protocol.MINOR)
            .setDeviceId(identity.id().value())
            .setDriveId(driveId)
            .setDeviceName(deviceName)
            .setSoftware(SOFTWARE)
            .setLane(lane == null ? Lane.CONTROL : lane)
            .build();
    Frame first;
    try {
      if (lane != null) {
        writer.write(Frame.newBuilder().setHello(mine).build());
      }
      first = reader.read();
    } catch (SocketTimeoutException e) {
      throw new HandshakeException(
          "no Hello from " + peer + " within " + config.handshakeTimeout().toMillis() + " ms");
    } catch (WireException e) {
      throw new HandshakeException("bad Hello from " + peer + ": " + e.getMessage());
    }
    if (first == null || !first.hasHello()) {
      throw new HandshakeException(peer + " did not start with a Hello");
    }
    Hello theirs = first.getHello();
    if (theirs.getProtocolMajor() != Protocol.MAJOR) {
      throw new HandshakeException(
          peer
              + " speaks protocol "
              + theirs.getProtocolMajor()
              + "."
              + theirs.getProtocolMinor()
              + "; this device speaks "
              + Protocol.MAJOR
              + "."
              + Protocol.MINOR);
    }
    if (!theirs.getDeviceId().equals(peer.value())) {
      throw new HandshakeException(peer + " announced itself as " + theirs.getDeviceId());
    }
    if (!driveId.isEmpty()
        && !theirs.getDriveId().isEmpty()
        && !theirs.getDriveId().equals(driveId)) {
      throw new HandshakeException(
          peer + " belongs to drive " + theirs.getDriveId() + ", not " + driveId);
    }
    if (!trusted && theirs.getLane() != Lane.JOIN) {
      throw new HandshakeException(
          "untrusted device " + peer + " asked for the " + theirs.getLane() + " lane");
    }
    if (lane == null) {
      // the accepting side answers on the lane the caller chose
      writer.write(Frame.newBuilder().setHello(mine.toBuilder().setLane(theirs.getLane())).build());
    }
    socket.setSoTimeout(0);
    if (trusted) {
      reader.limit(Protocol.MAX_FRAME);
    }
    return new Connection(socket, peer, theirs, trusted, writer, reader);
  }

  /** {@code slot} is the unproven connection's place in the limits, released when it ends. */
  private void start(Connection connection, IncomingLimits.Slot slot) {
    connections.add(connection);
    if (connection.trusted()) {
      listener.onOpen(connection);
    }
    Thread.ofVirtual()
        .name("gossipdrive-read-" + connection)
        .start(
            () -> {
              try {
                readLoop(connection);
              } finally {
                if (slot != null) {
                  slot.release();
                }
              }
            });
  }

  /** Incoming connections refused at accept because the limits on unproven ones were reached. */
  public int refusedIncoming() {
    return incoming.refused();
  }

  /** Incoming connections whose peer is not yet proven trusted (handshaking, or joining). */
  public int unprovenIncoming() {
    return incoming.unproven();
  }

  private void readLoop(Connection connection) {
    String reason = "closed by peer";
    try {
      for (Frame frame; (frame = connection.read()) != null; ) {
        if (!dispatch(connection, frame)) {
          reason = connection.closeReason();
          break;
        }
      }
      if (!connection.isOpen() && !connection.closeReason().isEmpty()) {
        // Closed here (keepalive, shutdown) before the read saw the end: keep that reason.
        reason = connection.closeReason();
      }
    } catch (WireException e) {
      reason = "protocol error: " + e.getMessage();
      LOG.log(Level.WARNING, "closing connection to {0}: {1}", connection, reason);
    } catch (IOException e) {
      reason =
          connection.isOpen() ? "connection lost: " + e.getMessage() : connection.closeReason();
    } finally {
      connection.close(reason);
      connections.remove(connection);
      if (connection.trusted()) {
        listener.onClose(connection, reason);
      }
    }
  }

  /** Returns false when the connection must end. */
  private boolean dispatch(Connection connection, Frame frame) throws IOException {
    switch (frame.getBodyCase()) {
      case PING ->
          connection.send(
              Frame.newBuilder()
                  .setPong(Pong.newBuilder().setNonce(frame.getPing().getNonce()))
                  .build());
      case PONG -> {
        // lastReceived is already updated
      }
      case GOODBYE -> {
        connection.close("peer said goodbye: " + frame.getGoodbye().getReason());
        return false;
      }
      case BODY_NOT_SET ->
          LOG.log(
              Level.DEBUG,
              "ignoring a message type unknown to protocol {0}.{1} from {2}",
              Protocol.MAJOR,
              Protocol.MINOR,
              connection);
      case JOIN_REQUEST -> {
        JoinHandler handler = joinHandler;
        if (handler == null || connection.lane() != Lane.JOIN) {
          connection.close("unexpected join request");
          return false;
        }
        connection.send(
            Frame.newBuilder()
                .setJoinResult(handler.onJoinRequest(connection, frame.getJoinRequest()))
                .build());
      }
      default -> {
        if (!connection.trusted()) {
          LOG.log(
              Level.WARNING,
              "untrusted device {0} sent {1}; closing",
              connection.peer(),
              frame.getBodyCase());
          connection.close("untrusted devices may only send a join request");
          return false;
        }
        listener.onFrame(connection, frame);
      }
    }
    return true;
  }

  private void keepAlive() {
    long timeout = config.idleTimeout().toNanos();
    for (Connection connection : connections) {
      if (connection.nanosSinceLastFrame() > timeout) {
        connection.close("no traffic for " + config.idleTimeout().toSeconds() + " s");
        continue;
      }
      try {
        connection.send(
            Frame.newBuilder()
                .setPing(Ping.newBuilder().setNonce(pingNonce.incrementAndGet()))
                .build());
      } catch (IOException e) {
        LOG.log(Level.DEBUG, "keepalive to {0} failed: {1}", connection, e.getMessage());
      }
    }
  }

  public List<Connection> connections() {
    return List.copyOf(connections);
  }

  /**
   * Closes every connection with {@code peer} (e.g. a device just removed from the drive).
   *
   * @return how many were open
   */
  public int disconnect(DeviceId peer, String reason) {
    int closedNow = 0;
    for (Connection connection : connections) {
      if (peer.equals(connection.peer()) && connection.isOpen()) {
        connection.close(reason);
        closedNow++;
      }
    }
    return closedNow;
  }

  /** Whether an open control link with {@code peer} exists, whoever dialed. */
  public boolean linkedTo(DeviceId peer) {
    return connections.stream()
        .anyMatch(c -> c.isOpen() && peer.equals(c.peer()) && c.lane() == Lane.CONTROL);
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // nothing to do
    }
  }

  @Override
  public void close() {
    closed = true;
    keepalive.shutdownNow();
    if (server != null) {
      try {
        server.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    for (Connection connection : connections) {
      connection.close("device shutting down");
    }
  }
}
