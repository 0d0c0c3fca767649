package io.scaleout.gateway.ratelimit;

import io.scaleout.common.config.Settings;
import io.scaleout.common.redis.RedisConfig;

import java.time.Duration;

/**
 * Token buckets per client and route class, kept in Redis so that every gateway shares them.
 *
 * @param enabled     off: no limits at all (for a perf run that measures something else)
 * @param anonymous   budget of an unauthenticated client address
 * @param user        budget of an authenticated user
 * @param auth        budget of sign-up and sign-in per client address, on top of the others
 * @param redis       where the buckets live
 * @param keyPrefix   Redis key prefix of the buckets
 * @param redisRetry  after a Redis failure, how long buckets are kept locally before Redis is tried again
 */
public record RateLimitConfig(boolean enabled, Budget anonymous, Budget user, Budget auth, RedisConfig redis,
                              String keyPrefix, Duration redisRetry) {

  /** Tokens per second and bucket size. */
  public record Budget(int ratePerSecond, int burst) {
  }

  public static RateLimitConfig from(Settings s) {
    return new RateLimitConfig(
        s.bool("RATE_LIMIT_ENABLED"),
        budget(s, "ANON"),
        budget(s, "USER"),
        budget(s, "AUTH"),
        RedisConfig.from(s),
        s.string("RATE_LIMIT_KEY_PREFIX"),
        s.millis("RATE_LIMIT_REDIS_RETRY_MS", 10, 600_000));
  }

  private static Budget budget(Settings s, String who) {
    return new Budget(s.integer("RATE_LIMIT_" + who + "_RATE", 1, 100_000_000), s.integer("RATE_LIMIT_" + who + "_BURST", 1, 100_000_000));
  }
}
