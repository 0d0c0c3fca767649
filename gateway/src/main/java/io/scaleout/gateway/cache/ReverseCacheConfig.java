package io.scaleout.gateway.cache;

import io.scaleout.common.config.Settings;

import java.time.Duration;

/**
 * The gateway's in-memory cache of GET replies the services mark cacheable.
 *
 * @param maxBytes      memory budget of all entries (0 turns the cache off)
 * @param maxEntryBytes largest reply kept
 * @param staleFor      how long past its freshness an entry is kept to answer while the service's breaker is open
 * @param invalidationAckTimeout how long a write through this gateway waits for the other gateways to drop their copies
 */
public record ReverseCacheConfig(long maxBytes, int maxEntryBytes, Duration staleFor, Duration invalidationAckTimeout) {

  public static ReverseCacheConfig from(Settings s) {
    return new ReverseCacheConfig(
        s.integer("REVERSE_CACHE_MAX_BYTES", 0, Integer.MAX_VALUE),
        s.integer("REVERSE_CACHE_MAX_ENTRY_BYTES", 1, 64 * 1024 * 1024),
        s.millis("REVERSE_CACHE_STALE_MS", 0, 7L * 24 * 3600 * 1000),
        s.millis("REVERSE_CACHE_INVALIDATION_TIMEOUT_MS", 1, 60_000));
  }
}
