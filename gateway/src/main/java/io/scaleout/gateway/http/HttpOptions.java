package io.scaleout.gateway.http;

import io.scaleout.gateway.edge.EdgeConfig;
import io.scaleout.gateway.web.HttpConfig;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;

/**
 * The listener: limits of the request line and headers (see {@link InvalidRequests}), the idle timeout, keep-alive, gzip/deflate above a size threshold for clients that accept it,
 * HTTP/2 over cleartext when enabled (h2c, by upgrade or prior knowledge) and, with a PEM certificate and key,
 * TLS with h2 chosen by ALPN.
 */
final class HttpOptions {
  /** Level 6 is zlib's default: most of the saving of 9 for much less CPU. */
  private static final int COMPRESSION_LEVEL = 6;

  private HttpOptions() {
  }

  static HttpServerOptions of(HttpConfig http, EdgeConfig edge) {
    HttpServerOptions options = new HttpServerOptions()
        .setHost(http.host())
        .setPort(http.port())
        .setTcpNoDelay(true)
        .setIdleTimeout((int) edge.idleTimeout().toSeconds())
        .setMaxInitialLineLength(http.maxRequestLine())
        .setMaxHeaderSize(http.maxHeaderSize())
        .setCompressionSupported(true)
        .setCompressionLevel(COMPRESSION_LEVEL)
        .setCompressionContentSizeThreshold(http.compressionThreshold())
        .setHttp2ClearTextEnabled(edge.h2c());
    // the same header budget over HTTP/2 as over HTTP/1.1
    options.getInitialSettings().setMaxHeaderListSize(http.maxHeaderSize());
    if (http.tls()) {
      options.setSsl(true)
          .setUseAlpn(true)
          .setKeyCertOptions(new PemKeyCertOptions().setCertPath(http.tlsCertPath()).setKeyPath(http.tlsKeyPath()));
    }
    return options;
  }
}
