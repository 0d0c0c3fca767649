package io.scaleout.common.redis;

import io.scaleout.common.config.ConfigException;
import io.scaleout.common.config.Settings;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;

import java.time.Duration;

/**
 * Where Redis is and how long any call to it may take.
 *
 * @param url     connection string, {@code redis://host:port/db}
 * @param timeout bound on connecting and on every command (callers add it to each future)
 */
public record RedisConfig(String url, Duration timeout) {

  public static RedisConfig from(Settings s) {
    String url = s.string("REDIS_URL");
    if (!url.matches("rediss?://.+")) {
      throw new ConfigException("Invalid configuration: REDIS_URL='" + url + "' must look like redis://host:port/db");
    }
    return new RedisConfig(url, s.millis("REDIS_TIMEOUT_MS", 10, 60_000));
  }

  /** A pooled client; it reconnects by itself when Redis comes back. */
  public Redis client(Vertx vertx) {
    return Redis.createClient(vertx, new RedisOptions()
        .setConnectionString(url)
        .setMaxPoolSize(8)
        .setMaxPoolWaiting(1024)
        .setMaxWaitingHandlers(4096)
        .setNetClientOptions(new NetClientOptions().setConnectTimeout((int) Math.max(timeout.toMillis(), 100)).setTcpNoDelay(true)));
  }
}
