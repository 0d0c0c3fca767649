package io.scaleout.catalog;

import io.scaleout.catalog.cache.CacheConfig;
import io.scaleout.catalog.db.GuardConfig;
import io.scaleout.common.config.Settings;
import io.scaleout.common.db.DatabaseConfig;
import io.scaleout.common.kafka.KafkaConfig;
import io.scaleout.common.redis.RedisConfig;

import java.time.Duration;

/**
 * Catalog settings.
 *
 * @param instances            endpoint verticles (event loops serving the bus addresses)
 * @param guard                timeout and breaker of every call to each database
 * @param replicaMaxLag        a replica further behind the primary leaves the read rotation
 * @param replicaCheckInterval how often replicas are checked
 * @param productCacheControl  Cache-Control of a product reply
 * @param listCacheControl     Cache-Control of list and category replies
 * @param outboxPoll           pause between outbox relay batches when it is idle
 * @param outboxBatch          events per relay batch
 */
public record CatalogConfig(int instances, DatabaseConfig database, GuardConfig guard, Duration replicaMaxLag, Duration replicaCheckInterval,
                            RedisConfig redis, CacheConfig cache, String productCacheControl, String listCacheControl,
                            KafkaConfig kafka, Duration outboxPoll, int outboxBatch) {

  public static CatalogConfig from(Settings s) {
    return new CatalogConfig(
        s.integer("CATALOG_INSTANCES", 1, 64),
        DatabaseConfig.from(s),
        GuardConfig.from(s),
        s.millis("REPLICA_MAX_LAG_MS", 0, 3_600_000),
        s.millis("REPLICA_CHECK_INTERVAL_MS", 50, 60_000),
        RedisConfig.from(s),
        CacheConfig.from(s),
        s.string("HTTP_CACHE_PRODUCT"),
        s.string("HTTP_CACHE_LIST"),
        KafkaConfig.from(s),
        s.millis("OUTBOX_POLL_MS", 10, 60_000),
        s.integer("OUTBOX_BATCH", 1, 10_000));
  }
}
