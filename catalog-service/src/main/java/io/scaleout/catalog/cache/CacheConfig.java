package io.scaleout.catalog.cache;

import io.scaleout.common.config.Settings;

import java.time.Duration;

/** Key prefix, TTLs and the Redis breaker of the product cache. */
public record CacheConfig(String keyPrefix, long ttlSeconds, int ttlJitterPercent, long listTtlSeconds, long negativeTtlSeconds,
                          Duration redisTimeout, int breakerFailures, Duration breakerReset) {

  public static CacheConfig from(Settings s) {
    return new CacheConfig(
        s.string("CACHE_KEY_PREFIX"),
        s.integer("CACHE_TTL_SECONDS", 1, 86_400),
        s.integer("CACHE_TTL_JITTER_PERCENT", 0, 50),
        s.integer("CACHE_LIST_TTL_SECONDS", 1, 3600),
        s.integer("CACHE_NEGATIVE_TTL_SECONDS", 1, 3600),
        s.millis("REDIS_TIMEOUT_MS", 10, 60_000),
        s.integer("CACHE_BREAKER_FAILURES", 1, 1000),
        s.millis("CACHE_BREAKER_RESET_MS", 100, 600_000));
  }
}
