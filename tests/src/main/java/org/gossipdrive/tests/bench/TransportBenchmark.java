package org.gossipdrive.tests.bench;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.gossipdrive.net.identity.DeviceIdentity;
import org.gossipdrive.net.transport.Connection;
import org.gossipdrive.net.transport.FrameListener;
import org.gossipdrive.net.transport.TlsContexts;
import org.gossipdrive.net.transport.Transport;
import org.gossipdrive.net.transport.TransportConfig;
import org.gossipdrive.net.transport.TrustPolicy;
import org.gossipdrive.net.wire.proto.Data;
import org.gossipdrive.net.wire.proto.Frame;
import org.gossipdrive.net.wire.proto.Lane;

/**
 * Single-connection bulk throughput on loopback: plain TCP, bare JSSE TLS 1.3, and the framed
 * GossipDrive transport, each with ChaCha20-Poly1305 and AES-128-GCM; plus handshake + Hello time.
 */
public final class TransportBenchmark {
  private static final int MESSAGE = 1 << 20;

  private TransportBenchmark() {}

  public static void main(String[] args) throws Exception {
    long totalMib = args.length > 0 ? Long.parseLong(args[0]) : 2048;
    long total = totalMib << 20;
    System.out.printf(
        "Transport throughput on loopback, one connection, %d MiB in 1 MiB messages (%s)%n",
        totalMib, System.getProperty("java.vm.version"));
    DeviceIdentity alice = DeviceIdentity.generate();
    DeviceIdentity bob = DeviceIdentity.generate();
    // Warm-up: JIT-compile every path once before measuring.
    plainTcp(256L << 20);
    bareJsse(alice, bob, TransportConfig.CHACHA20, 256L << 20);
    framed(alice, bob, TransportConfig.CHACHA20, 256L << 20);
    bareJsse(alice, bob, TransportConfig.AES_128, 256L << 20);
    framed(alice, bob, TransportConfig.AES_128, 256L << 20);
    int rounds = 3;
    double[][] results = new double[5][rounds];
    for (int round = 0; round < rounds; round++) {
      results[0][round] = plainTcp(total);
      results[1][round] = bareJsse(alice, bob, TransportConfig.CHACHA20, total);
      results[2][round] = framed(alice, bob, TransportConfig.CHACHA20, total);
      results[3][round] = bareJsse(alice, bob, TransportConfig.AES_128, total);
      results[4][round] = framed(alice, bob, TransportConfig.AES_128, total);
      System.out.printf(
          Locale.ROOT,
          "  round %d: TCP %.0f, JSSE ChaCha20 %.0f, transport ChaCha20 %.0f, JSSE AES-128 %.0f, transport AES-128 %.0f MB/s%n",
          round + 1,
          results[0][round],
          results[1][round],
          results[2][round],
          results[3][round],
          results[4][round]);
    }
    double tcp = median(results[0]);
    double jsseChacha = median(results[1]);
    double framedChacha = median(results[2]);
    double jsseAes = median(results[3]);
    double framedAes = median(results[4]);
    System.out.println("medians:");
    row("plain TCP", tcp, "");
    row(
        "bare JSSE, TLS_CHACHA20_POLY1305_SHA256",
        jsseChacha,
        String.format(Locale.ROOT, "%.0f%% of TCP", 100 * jsseChacha / tcp));
    row(
        "GossipDrive transport, TLS_CHACHA20_POLY1305_SHA256",
        framedChacha,
        String.format(Locale.ROOT, "%.0f%% of bare JSSE", 100 * framedChacha / jsseChacha));
    row(
        "bare JSSE, TLS_AES_128_GCM_SHA256",
        jsseAes,
        String.format(Locale.ROOT, "%.0f%% of TCP", 100 * jsseAes / tcp));
    row(
        "GossipDrive transport, TLS_AES_128_GCM_SHA256",
        framedAes,
        String.format(Locale.ROOT, "%.0f%% of bare JSSE", 100 * framedAes / jsseAes));
    handshakes(alice, bob);
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static void row(String what, double mbps, String note) {
    System.out.printf(Locale.ROOT, "  %-55s %8.0f MB/s  %s%n", what, mbps, note);
  }

  private static double plainTcp(long total) throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return pump(
          server, () -> new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort()), total);
    }
  }

  private static double bareJsse(DeviceIdentity alice, DeviceIdentity bob, String suite, long total)
      throws Exception {
    SSLContext serverContext = TlsContexts.create(alice, id -> true, "benchmark client");
    SSLContext clientContext = TlsContexts.create(bob, id -> true, "benchmark server");
    try (SSLServerSocket server =
        (SSLServerSocket)
            serverContext
                .getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      server.setNeedClientAuth(true);
      server.setEnabledCipherSuites(new String[] {suite});
      return pump(
          server,
          () -> {
            SSLSocket socket =
                (SSLSocket)
                    clientContext
                        .getSocketFactory()
                        .createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort());
            socket.setEnabledCipherSuites(new String[] {suite});
            socket.startHandshake();
            return socket;
          },
          total);
    }
  }

  private interface SocketFactory {
    Socket open() throws IOException;
  }

  /**
   * Writes {@code total} bytes in 1 MiB writes from a client socket; the server side reads and
   * counts.
   */
  private static double pump(ServerSocket server, SocketFactory client, long total)
      throws Exception {
    CountDownLatch done = new CountDownLatch(1);
    long[] finished = new long[1];
    Thread reader =
        Thread.ofPlatform()
            .start(
                () -> {
                  try (Socket accepted = server.accept();
                      InputStream in = accepted.getInputStream()) {
                    byte[] buffer = new byte[1 << 20];
                    long got = 0;
                    while (got < total) {
                      int n = in.read(buffer);
                      if (n < 0) {
                        break;
                      }
                      got += n;
                    }
                    finished[0] = System.nanoTime();
                    done.countDown();
                  } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                  }
                });
    try (Socket socket = client.open();
        OutputStream out = socket.getOutputStream()) {
      socket.setTcpNoDelay(true);
      byte[] payload = new byte[MESSAGE];
      long start = System.nanoTime();
      for (long sent = 0; sent < total; sent += MESSAGE) {
        out.write(payload);
      }
      out.flush();
      done.await(120, TimeUnit.SECONDS);
      reader.join();
      return total / 1e6 / ((finished[0] - start) / 1e9);
    }
  }

  private static TrustPolicy everyone() {
    return TrustPolicy.of(device -> true);
  }

  private static double framed(DeviceIdentity alice, DeviceIdentity bob, String suite, long total)
      throws Exception {
    AtomicLong received = new AtomicLong();
    CountDownLatch done = new CountDownLatch(1);
    long[] finished = new long[1];
    FrameListener counter =
        new FrameListener() {
          @Override
          public void onFrame(Connection connection, Frame frame) {
            if (received.addAndGet(frame.getData().getPayload().size()) >= total) {
              finished[0] = System.nanoTime();
              done.countDown();
            }
          }
        };
    TransportConfig config = TransportConfig.defaults().withCipherSuites(List.of(suite));
    try (Transport server = new Transport(alice, "BENCH", "alice", everyone(), config, counter);
        Transport client = new Transport(bob, "BENCH", "bob", everyone(), config, (c, f) -> {})) {
      InetSocketAddress address =
          server.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      Connection connection = client.connect(address, alice.id(), Lane.BULK);
      Frame frame =
          Frame.newBuilder()
              .setData(
                  Data.newBuilder().setStream(1).setPayload(ByteString.copyFrom(new byte[MESSAGE])))
              .build();
      long start = System.nanoTime();
      for (long sent = 0; sent < total; sent += MESSAGE) {
        connection.send(frame);
      }
      done.await(120, TimeUnit.SECONDS);
      return total / 1e6 / ((finished[0] - start) / 1e9);
    }
  }

  private static void handshakes(DeviceIdentity alice, DeviceIdentity bob) throws Exception {
    try (Transport server =
            new Transport(
                alice, "BENCH", "alice", everyone(), TransportConfig.defaults(), (c, f) -> {});
        Transport client =
            new Transport(
                bob, "BENCH", "bob", everyone(), TransportConfig.defaults(), (c, f) -> {})) {
      InetSocketAddress address =
          server.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      for (int i = 0; i < 20; i++) {
        client.connect(address, alice.id(), Lane.CONTROL).close("warm-up");
      }
      int n = 50;
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        client.connect(address, alice.id(), Lane.CONTROL).close("measured");
      }
      double ms = (System.nanoTime() - start) / 1e6 / n;
      System.out.printf(
          Locale.ROOT,
          "TLS 1.3 Ed25519 mutual handshake + Hello exchange: %.1f ms average over %d connections%n",
          ms,
          n);
    }
  }
}
