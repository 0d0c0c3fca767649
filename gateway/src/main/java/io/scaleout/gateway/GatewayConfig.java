package io.scaleout.gateway;

import io.scaleout.common.config.Settings;

/**
 * Gateway-only settings.
 *
 * @param httpHost      public listener host
 * @param httpPort      public listener port
 * @param httpInstances HTTP verticle instances (event loops serving the port); 0 = one per core
 * @param jsonBodyLimit largest JSON request body in bytes (413 beyond)
 */
public record GatewayConfig(String httpHost, int httpPort, int httpInstances, long jsonBodyLimit) {

  public static GatewayConfig from(Settings s) {
    int instances = s.integer("HTTP_INSTANCES", 0, 256);
    return new GatewayConfig(
        s.string("HTTP_HOST"),
        s.port("HTTP_PORT"),
        instances == 0 ? Runtime.getRuntime().availableProcessors() : instances,
        s.integer("HTTP_JSON_BODY_LIMIT", 1024, 64 * 1024 * 1024));
  }
}
