package io.scaleout.gateway.web;

import io.scaleout.common.config.ConfigException;
import io.scaleout.common.config.Settings;
import io.scaleout.gateway.http.TrustedProxies;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The public listener.
 *
 * @param host            listener host
 * @param port            listener port
 * @param instances       HTTP verticle instances (event loops serving the port); one per core by default
 * @param jsonBodyLimit   largest JSON request body in bytes (413 beyond)
 * @param maxRequestLine  longest request line (method, target, version) in bytes (414 beyond)
 * @param maxHeaderSize   largest header block of a request in bytes (431 beyond)
 * @param compressionThreshold smallest body compressed (gzip/deflate) when the client accepts it
 * @param tlsCertPath     PEM certificate chain; with the key, the port serves TLS (h2 by ALPN); empty: plain HTTP (h2c)
 * @param tlsKeyPath      PEM private key
 * @param webRoot         classpath folder of the static web files
 * @param trustedProxies  peers whose X-Forwarded-For names the client (nginx, an ingress controller): addresses and CIDR ranges
 */
public record HttpConfig(String host, int port, int instances, long jsonBodyLimit, int maxRequestLine,
                         int maxHeaderSize, int compressionThreshold, String tlsCertPath, String tlsKeyPath, String webRoot,
                         TrustedProxies trustedProxies) {

  public static HttpConfig from(Settings s) {
    int instances = s.integer("HTTP_INSTANCES", 0, 256);
    String cert = s.optionalString("TLS_CERT_PATH");
    String key = s.optionalString("TLS_KEY_PATH");
    if (cert.isEmpty() != key.isEmpty()) {
      throw new ConfigException("Invalid configuration: TLS_CERT_PATH and TLS_KEY_PATH are set together or not at all");
    }
    for (String path : new String[] {cert, key}) {
      if (!path.isEmpty() && !Files.isReadable(Path.of(path))) {
        throw new ConfigException("Invalid configuration: cannot read " + path + " (TLS_CERT_PATH / TLS_KEY_PATH)");
      }
    }
    return new HttpConfig(
        s.string("HTTP_HOST"),
        s.port("HTTP_PORT"),
        instances == 0 ? Runtime.getRuntime().availableProcessors() : instances,
        s.integer("HTTP_JSON_BODY_LIMIT", 1024, 64 * 1024 * 1024),
        s.integer("HTTP_MAX_REQUEST_LINE", 256, 64 * 1024),
        s.integer("HTTP_MAX_HEADER_SIZE", 1024, 1024 * 1024),
        s.integer("HTTP_COMPRESSION_THRESHOLD", 0, 64 * 1024 * 1024),
        cert,
        key,
        s.string("WEB_ROOT"),
        TrustedProxies.parse("TRUSTED_PROXIES", s.optionalList("TRUSTED_PROXIES")));
  }

  public boolean tls() {
    return !tlsCertPath.isEmpty();
  }
}
