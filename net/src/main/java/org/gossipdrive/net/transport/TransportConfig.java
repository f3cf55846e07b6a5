package org.gossipdrive.net.transport;

import java.time.Duration;
import java.util.List;

/**
 * Transport settings.
 *
 * @param cipherSuites TLS 1.3 suites in order of preference
 * @param keepaliveInterval how often an idle connection sends a ping
 * @param idleTimeout a connection that received nothing for this long is closed
 */
public record TransportConfig(
    List<String> cipherSuites,
    Duration handshakeTimeout,
    Duration keepaliveInterval,
    Duration idleTimeout) {
  public static final String CHACHA20 = "TLS_CHACHA20_POLY1305_SHA256";
  public static final String AES_128 = "TLS_AES_128_GCM_SHA256";
  public static final String AES_256 = "TLS_AES_256_GCM_SHA384";

  public static TransportConfig defaults() {
    return new TransportConfig(
        List.of(CHACHA20, AES_256, AES_128),
        Duration.ofSeconds(10),
        Duration.ofSeconds(5),
        Duration.ofSeconds(20));
  }

  public TransportConfig withCipherSuites(List<String> suites) {
    return new TransportConfig(
        List.copyOf(suites), handshakeTimeout, keepaliveInterval, idleTimeout);
  }

  public TransportConfig withHandshakeTimeout(Duration timeout) {
    return new TransportConfig(cipherSuites, timeout, keepaliveInterval, idleTimeout);
  }

  public TransportConfig withKeepalive(Duration interval, Duration timeout) {
    return new TransportConfig(cipherSuites, handshakeTimeout, interval, timeout);
  }
}
