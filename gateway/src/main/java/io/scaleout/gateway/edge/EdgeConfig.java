package io.scaleout.gateway.edge;

import io.scaleout.common.config.ConfigException;
import io.scaleout.common.config.Settings;

import java.time.Duration;

/**
 * What one client may hold at the public port.
 *
 * @param maxConnections   open connections per gateway; one more is closed at once
 * @param headerTimeout    time from a connection's opening to its first request's complete headers
 * @param keepAliveTimeout time an idle kept-alive connection waits for the next request's complete
 *                         headers; longer than nginx's upstream keepalive_timeout (60 s), so nginx
 *                         closes an idle connection first and never sends on one being closed here
 * @param bodyTimeout      time from a request's headers to the end of its body (408 beyond)
 * @param idleTimeout      a connection with nothing read or written this long is closed; longer than
 *                         the keep-alive wait and the event streams' heartbeat
 * @param bodyBuffer       bytes of JSON bodies held in memory at once per gateway; a body that does not
 *                         fit waits for nothing: 503 with Retry-After
 * @param h2c              HTTP/2 over cleartext on the plain port. Off by default: with it on, Vert.x
 *                         hands over an HTTP/1 connection only once its first request's headers are
 *                         complete (it must look for an upgrade first), so the header deadline cannot
 *                         cut off a client that never completes them; TLS serves h2 by ALPN either way
 */
public record EdgeConfig(int maxConnections, Duration headerTimeout, Duration keepAliveTimeout, Duration bodyTimeout,
                         Duration idleTimeout, long bodyBuffer, boolean h2c) {

  public static EdgeConfig from(Settings s) {
    EdgeConfig config = new EdgeConfig(
        s.integer("HTTP_MAX_CONNECTIONS", 1, 10_000_000),
        s.millis("HTTP_HEADER_TIMEOUT_MS", 100, 600_000),
        s.millis("HTTP_KEEPALIVE_TIMEOUT_MS", 100, 3_600_000),
        s.millis("HTTP_BODY_TIMEOUT_MS", 100, 3_600_000),
        Duration.ofSeconds(s.integer("HTTP_IDLE_TIMEOUT_SECONDS", 1, 86_400)),
        s.integer("HTTP_BODY_BUFFER_BYTES", 1024, Integer.MAX_VALUE),
        s.bool("HTTP_H2C"));
    if (config.idleTimeout.compareTo(config.keepAliveTimeout) <= 0) {
      throw new ConfigException("Invalid configuration: HTTP_IDLE_TIMEOUT_SECONDS=" + config.idleTimeout.toSeconds()
          + " must exceed HTTP_KEEPALIVE_TIMEOUT_MS=" + config.keepAliveTimeout.toMillis()
          + " (an idle kept-alive connection is closed by the keep-alive wait)");
    }
    return config;
  }
}
