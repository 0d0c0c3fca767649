package io.scaleout.session;

import io.scaleout.common.config.ConfigException;
import io.scaleout.common.config.Settings;
import io.scaleout.common.db.DatabaseConfig;
import io.scaleout.common.redis.RedisConfig;
import io.scaleout.session.password.HashingConfig;
import io.scaleout.session.store.ThrottleConfig;
import io.scaleout.session.user.AdminPasswords;

import java.time.Duration;

/**
 * Session-service settings.
 *
 * @param instances          event loops serving the bus addresses
 * @param store              where sessions live: Redis, or the Hazelcast data grid
 * @param keyPrefix          prefix of every Redis key of this service
 * @param idleTimeout        a session unused this long ends (each use extends it)
 * @param absoluteTimeout    a session ends this long after login, however much it is used
 * @param passwordMinLength  shortest password, in characters
 * @param passwordMaxBytes   longest password, in UTF-8 bytes (bounds hashing work)
 * @param throttle           brute-force throttling of sign-ins
 * @param adminEmail         administrator made at start when absent (empty: none)
 * @param adminPassword      its password: never a placeholder or well-known one, at least {@link AdminPasswords#MIN_LENGTH} characters
 * @param cartMaxItems       distinct products in a cart
 * @param cartTtl            a cart untouched this long is dropped
 * @param catalogTimeout     bound on asking the catalog whether a product exists
 */
public record SessionConfig(int instances, DatabaseConfig database, RedisConfig redis, String keyPrefix, StoreKind store,
                            Duration idleTimeout, Duration absoluteTimeout, HashingConfig hashing, int passwordMinLength,
                            int passwordMaxBytes, ThrottleConfig throttle, String adminEmail,
                            String adminPassword, int cartMaxItems, Duration cartTtl, Duration catalogTimeout) {

  public enum StoreKind { REDIS, GRID }

  public static SessionConfig from(Settings s) {
    String store = s.string("SESSION_STORE").toUpperCase();
    if (!store.equals("REDIS") && !store.equals("GRID")) {
      throw new ConfigException("Invalid configuration: SESSION_STORE='" + s.string("SESSION_STORE") + "' must be redis or grid");
    }
    String adminEmail = s.optionalString("ADMIN_EMAIL");
    String adminPassword = s.optionalString("ADMIN_PASSWORD");
    if (!adminPassword.isEmpty() && AdminPasswords.refusal(adminPassword) != null) {
      // checked whether or not the administrator exists already: the value is in the deployment either way
      throw new ConfigException("Invalid configuration: ADMIN_PASSWORD " + AdminPasswords.refusal(adminPassword)
          + " (the administrator's password must be at least " + AdminPasswords.MIN_LENGTH + " characters and not a known one)");
    }
    if (adminPassword.isEmpty() && !adminEmail.isEmpty()) {
      throw new ConfigException("Invalid configuration: ADMIN_EMAIL is set but ADMIN_PASSWORD is empty");
    }
    return new SessionConfig(
        s.integer("SESSION_INSTANCES", 1, 64),
        DatabaseConfig.from(s),
        RedisConfig.from(s),
        s.string("REDIS_KEY_PREFIX"),
        StoreKind.valueOf(store),
        Duration.ofSeconds(s.integer("SESSION_IDLE_TIMEOUT_SECONDS", 10, 30 * 86_400)),
        Duration.ofSeconds(s.integer("SESSION_ABSOLUTE_TIMEOUT_SECONDS", 10, 365 * 86_400)),
        HashingConfig.from(s),
        s.integer("PASSWORD_MIN_LENGTH", 1, 128),
        s.integer("PASSWORD_MAX_BYTES", 16, 4096),
        ThrottleConfig.from(s),
        adminEmail,
        adminPassword,
        s.integer("CART_MAX_ITEMS", 1, 1000),
        Duration.ofDays(s.integer("CART_TTL_DAYS", 1, 3650)),
        s.millis("CATALOG_TIMEOUT_MS", 10, 60_000));
  }
}
