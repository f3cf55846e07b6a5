package org.gossipdrive.net.transport;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SSLKeyException;
import javax.net.ssl.SSLSocket;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.net.wire.FrameReader;
import org.gossipdrive.net.wire.FrameWriter;
import org.gossipdrive.net.wire.Protocol;
import org.gossipdrive.net.wire.WireException;
import org.gossipdrive.net.wire.proto.Data;
import org.gossipdrive.net.wire.proto.Frame;
import org.gossipdrive.net.wire.proto.Goodbye;
import org.gossipdrive.net.wire.proto.Hello;
import org.gossipdrive.net.wire.proto.Lane;

/**
 * One authenticated TLS connection to a peer, carrying frames of one lane. Created by {@link
 * Transport} only after the handshake pinned the peer and both Hellos were exchanged.
 */
public final class Connection {
  private static final System.Logger LOG = System.getLogger(Connection.class.getName());

  private final SSLSocket socket;
  private final DeviceId peer;
  private final Hello peerHello;
  private final boolean trusted;
  private final FrameWriter writer;
  private final FrameReader reader;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile long lastReceivedNanos = System.nanoTime();
  private volatile String closeReason = "";
  private final java.util.concurrent.atomic.AtomicLong framesIn =
      new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong bytesOut =
      new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong bytesIn =
      new java.util.concurrent.atomic.AtomicLong();

  Connection(
      SSLSocket socket,
      DeviceId peer,
      Hello peerHello,
      boolean trusted,
      FrameWriter writer,
      FrameReader reader) {
    this.socket = socket;
    this.peer = peer;
    this.peerHello = peerHello;
    this.trusted = trusted;
    this.writer = writer;
    this.reader = reader;
  }

  public DeviceId peer() {
    return peer;
  }

  public Lane lane() {
    return peerHello.getLane();
  }

  public Hello peerHello() {
    return peerHello;
  }

  /** False for a device admitted only to present an invitation. */
  public boolean trusted() {
    return trusted;
  }

  /** The raw Ed25519 key the peer proved it holds during the handshake. */
  public byte[] peerPublicKey() {
    try {
      return org.gossipdrive.net.identity.Ed25519.raw(
          socket.getSession().getPeerCertificates()[0].getPublicKey());
    } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
      throw new IllegalStateException("an established connection always has a verified peer", e);
    }
  }

  public String protocol() {
    return socket.getSession().getProtocol();
  }

  public String cipherSuite() {
    return socket.getSession().getCipherSuite();
  }

  /**
   * Keying material bound to this TLS session (RFC 8446 exporter): a proof made with it cannot be
   * replayed on another connection.
   */
  public byte[] exportKeyingMaterial(String label, byte[] context, int length)
      throws SSLKeyException {
    return ((ExtendedSSLSession) socket.getSession())
        .exportKeyingMaterialData(label, context, length);
  }

  public void send(Frame frame) throws IOException {
    if (closed.get()) {
      throw new IOException("connection to " + peer + " is closed: " + closeReason);
    }
    try {
      writer.write(frame);
      bytesOut.addAndGet(frame.getSerializedSize() + 4L);
    } catch (IOException e) {
      close("send failed: " + e.getMessage());
      throw e;
    }
  }

  public void sendData(long stream, byte[] payload) throws IOException {
    send(
        Frame.newBuilder()
            .setData(Data.newBuilder().setStream(stream).setPayload(ByteString.copyFrom(payload)))
            .build());
  }

  /** Reads the next frame; null when the peer closed cleanly. */
  Frame read() throws IOException, WireException {
    Frame frame = reader.read();
    lastReceivedNanos = System.nanoTime();
    if (frame != null) {
      framesIn.incrementAndGet();
      bytesIn.addAndGet(frame.getSerializedSize() + 4L);
    }
    return frame;
  }

  long nanosSinceLastFrame() {
    return System.nanoTime() - lastReceivedNanos;
  }

  /** Application bytes sent on this connection (frames with their length prefix). */
  public long bytesOut() {
    return bytesOut.get();
  }

  /** Application bytes received on this connection. */
  public long bytesIn() {
    return bytesIn.get();
  }

  public boolean isOpen() {
    return !closed.get();
  }

  public String closeReason() {
    return closeReason;
  }

  /** Closes once; returns true if this call closed it. */
  public boolean close(String reason) {
    if (!closed.compareAndSet(false, true)) {
      return false;
    }
    closeReason = reason;
    try {
      if (!socket.isClosed()) {
        try {
          writer.write(
              Frame.newBuilder()
                  .setGoodbye(Goodbye.newBuilder().setReason(truncate(reason)))
                  .build());
        } catch (IOException ignored) {
          // the peer may already be gone
        }
      }
      socket.close();
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "closing connection to {0}: {1}", peer, e.getMessage());
    }
    return true;
  }

  private static String truncate(String reason) {
    return reason.length() <= Protocol.MAX_TEXT ? reason : reason.substring(0, Protocol.MAX_TEXT);
  }

  @Override
  public String toString() {
    return peer + "/" + lane();
  }
}
