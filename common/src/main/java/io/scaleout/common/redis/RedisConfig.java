package io.scaleout.common.redis;

import io.scaleout.common.config.ConfigException;
import io.scaleout.common.config.Settings;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Where Redis is, how to authenticate and how long any call to it may take.
 *
 * @param url      connection string, {@code redis://host:port/db} (a user name may stand before the host: {@code redis://app@host:port/db})
 * @param password the password Redis asks for ({@code requirepass}, or the ACL user's); empty: none
 * @param timeout  bound on connecting and on every command (callers add it to each future)
 */
public record RedisConfig(String url, String password, Duration timeout) {
  /** A password in the URL's user part, {@code redis://[user]:password@host}. */
  private static final Pattern PASSWORD_IN_URL = Pattern.compile("rediss?://[^/@]*:[^/@]*@.*");

  public static RedisConfig from(Settings s) {
    String url = s.string("REDIS_URL");
    if (!url.matches("rediss?://.+")) {
      throw new ConfigException("Invalid configuration: REDIS_URL='" + url + "' must look like redis://host:port/db");
    }
    if (PASSWORD_IN_URL.matcher(url).matches()) {
      // REDIS_URL is logged at start as it is; only the variables named as secrets are masked
      throw new ConfigException("Invalid configuration: REDIS_URL must not carry a password; set REDIS_PASSWORD (or REDIS_PASSWORD_FILE)");
    }
    return new RedisConfig(url, s.optionalString("REDIS_PASSWORD"), s.millis("REDIS_TIMEOUT_MS", 10, 60_000));
  }

  /** A pooled client; it reconnects (and authenticates) by itself when Redis comes back. */
  public Redis client(Vertx vertx) {
    RedisOptions options = new RedisOptions()
        .setConnectionString(url)
        .setMaxPoolSize(8)
        .setMaxPoolWaiting(1024)
        .setMaxWaitingHandlers(4096)
        .setNetClientOptions(new NetClientOptions().setConnectTimeout((int) Math.max(timeout.toMillis(), 100)).setTcpNoDelay(true));
    if (!password.isEmpty()) {
      options.setPassword(password);
    }
    return Redis.createClient(vertx, options);
  }

  @Override
  public String toString() {
    return "RedisConfig[url=" + url + ", password=" + (password.isEmpty() ? "" : "***") + ", timeout=" + timeout + "]";
  }
}
