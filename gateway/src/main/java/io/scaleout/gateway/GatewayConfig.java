package io.scaleout.gateway;

import io.scaleout.common.config.Settings;

import java.time.Duration;

/**
 * Gateway-only settings.
 *
 * @param httpHost      public listener host
 * @param httpPort      public listener port
 * @param httpInstances HTTP verticle instances (event loops serving the port); 0 = one per core
 * @param jsonBodyLimit largest JSON request body in bytes (413 beyond)
 * @param authCacheTtl  how long a resolved session is trusted without asking again (0: never cached)
 * @param authCacheMax  most sessions cached at once
 * @param cookieSecure  mark the SID cookie Secure (serve over TLS)
 * @param passwordRouteTimeout timeout of register and login, which wait for password hashing
 */
public record GatewayConfig(String httpHost, int httpPort, int httpInstances, long jsonBodyLimit, Duration authCacheTtl,
                            int authCacheMax, boolean cookieSecure, Duration passwordRouteTimeout) {

  public static GatewayConfig from(Settings s) {
    int instances = s.integer("HTTP_INSTANCES", 0, 256);
    return new GatewayConfig(
        s.string("HTTP_HOST"),
        s.port("HTTP_PORT"),
        instances == 0 ? Runtime.getRuntime().availableProcessors() : instances,
        s.integer("HTTP_JSON_BODY_LIMIT", 1024, 64 * 1024 * 1024),
        s.millis("AUTH_CACHE_MS", 0, 60_000),
        s.integer("AUTH_CACHE_MAX", 1, 10_000_000),
        s.bool("COOKIE_SECURE"),
        s.millis("PASSWORD_ROUTE_TIMEOUT_MS", 100, 600_000));
  }
}
