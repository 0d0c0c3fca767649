package io.scaleout.catalog.cache;

import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Redis read-through cache of products by id and of list pages.
 * <ul>
 *   <li>entries live for a TTL with jitter, so entries written together do not expire together;</li>
 *   <li>concurrent misses of one key in this instance share one load (single flight);</li>
 *   <li>unknown ids are cached briefly as missing (negative caching);</li>
 *   <li>a committed write replaces the entry; every instance also learns the newest version of a
 *       product from the bus and treats an older cached copy as stale;</li>
 *   <li>Redis calls are bounded by a timeout and guarded by a breaker: when Redis is down or slow
 *       the cache is bypassed and the catalog answers from Postgres.</li>
 * </ul>
 */
public final class ProductCache {
  private static final Logger log = LoggerFactory.getLogger(ProductCache.class);
  private static final String MISSING = "{\"missing\":true}";

  private final Redis redis;
  private final CacheConfig config;
  private final CircuitBreaker breaker;
  private final CacheStats stats = new CacheStats();
  private final Map<String, Future<JsonObject>> inFlight = new ConcurrentHashMap<>();
  /** Newest version each recently changed product is known to have; older cached copies are stale. */
  private final Map<Long, long[]> knownVersions = new ConcurrentHashMap<>();

  public ProductCache(Vertx vertx, Redis redis, CacheConfig config) {
    this.redis = redis;
    this.config = config;
    this.breaker = CircuitBreaker.create("catalog-cache", vertx, new CircuitBreakerOptions()
            .setMaxFailures(config.breakerFailures())
            .setTimeout(config.redisTimeout().toMillis())
            .setResetTimeout(config.breakerReset().toMillis())
            .setNotificationAddress(null))
        .openHandler(v -> log.warn("Redis cache breaker open: bypassing the cache"))
        .closeHandler(v -> log.info("Redis cache breaker closed: using the cache again"));
  }

  public CacheStats stats() {
    return stats;
  }

  public String breakerState() {
    return breaker.state().name();
  }

  /** The product (null when it does not exist), from Redis or else from {@code loader}. */
  public Future<JsonObject> product(long id, Supplier<Future<JsonObject>> loader) {
    String key = productKey(id);
    return singleFlight(key, () -> cached(key).compose(hit -> {
      if (hit.isPresent() && !stale(id, hit.value())) {
        stats.hit();
        return Future.succeededFuture(hit.value());
      }
      boolean replace = hit.isPresent();
      if (hit.reachable()) {
        stats.miss();
      }
      return load(loader).onSuccess(product -> {
        if (hit.reachable()) {
          store(key, product == null ? MISSING : product.encode(),
              product == null ? config.negativeTtlSeconds() : jittered(config.ttlSeconds()), !replace);
        }
      });
    }));
  }

  /** A list page, cached for a short TTL under the query's key. */
  public Future<JsonObject> listPage(String queryKey, Supplier<Future<JsonObject>> loader) {
    String key = config.keyPrefix() + "list:" + queryKey;
    return singleFlight(key, () -> cached(key).compose(hit -> {
      if (hit.isPresent()) {
        stats.hit();
        return Future.succeededFuture(hit.value());
      }
      if (hit.reachable()) {
        stats.miss();
      }
      return load(loader).onSuccess(page -> {
        if (hit.reachable()) {
          store(key, page.encode(), config.listTtlSeconds(), false);
        }
      });
    }));
  }

  /** After a committed write: the new version replaces the cached one (null: the product is gone). */
  public Future<Void> written(long id, long version, JsonObject product) {
    changed(id, product == null ? version + 1 : version);
    String key = productKey(id);
    Future<Void> update = product == null
        ? guarded(Request.cmd(Command.DEL).arg(key)).mapEmpty()
        : guarded(Request.cmd(Command.SET).arg(key).arg(product.encode()).arg("EX").arg(jittered(config.ttlSeconds()))).mapEmpty();
    return update.otherwise(failure -> {
      log.warn("Cache entry of product {} not updated ({}); stale copies are refused by version", id, failure.getMessage());
      return null;
    });
  }

  /** A write somewhere in the cluster made {@code version} the newest of product {@code id}. */
  public void changed(long id, long version) {
    long expiresAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(config.ttlSeconds() + config.ttlSeconds() / 2 + 1);
    knownVersions.merge(id, new long[] {version, expiresAt}, (old, now) -> old[0] >= now[0] ? new long[] {old[0], now[1]} : now);
  }

  private boolean stale(long id, JsonObject cached) {
    long[] known = knownVersions.get(id);
    if (known == null) {
      return false;
    }
    if (System.nanoTime() > known[1]) {
      knownVersions.remove(id, known);
      return false;
    }
    long version = cached == null ? 0 : cached.getLong("version", 0L);
    boolean stale = version < known[0];
    if (stale) {
      stats.stale();
    }
    return stale;
  }

  private Future<JsonObject> singleFlight(String key, Supplier<Future<JsonObject>> work) {
    Future<JsonObject> running = inFlight.get(key);
    if (running != null) {
      return running;
    }
    Promise<JsonObject> result = Promise.promise();
    running = inFlight.putIfAbsent(key, result.future());
    if (running != null) {
      return running;
    }
    work.get().onComplete(ar -> {
      inFlight.remove(key, result.future());
      result.handle(ar);
    });
    return result.future();
  }

  private Future<JsonObject> load(Supplier<Future<JsonObject>> loader) {
    stats.load();
    return loader.get();
  }

  /** What Redis holds for a key; never fails: an unreachable Redis is a bypass. */
  private Future<Lookup> cached(String key) {
    return guarded(Request.cmd(Command.GET).arg(key)).transform(ar -> {
      if (ar.failed()) {
        stats.bypass();
        return Future.succeededFuture(Lookup.UNREACHABLE);
      }
      Response response = ar.result();
      if (response == null) {
        return Future.succeededFuture(Lookup.ABSENT);
      }
      String text = response.toString();
      return Future.succeededFuture(new Lookup(true, true, MISSING.equals(text) ? null : new JsonObject(text)));
    });
  }

  private void store(String key, String value, long ttlSeconds, boolean onlyIfAbsent) {
    Request set = Request.cmd(Command.SET).arg(key).arg(value).arg("EX").arg(ttlSeconds);
    if (onlyIfAbsent) {
      // a write may have replaced the entry while this load ran: never overwrite it
      set.arg("NX");
    }
    guarded(set).onFailure(failure -> log.debug("Cache store of {} failed: {}", key, failure.getMessage()));
  }

  private Future<Response> guarded(Request request) {
    return breaker.execute(() -> redis.send(request));
  }

  private long jittered(long ttlSeconds) {
    long spread = ttlSeconds * config.ttlJitterPercent() / 100;
    return Math.max(1, ttlSeconds - spread + ThreadLocalRandom.current().nextLong(2 * spread + 1));
  }

  private String productKey(long id) {
    return config.keyPrefix() + "product:" + id;
  }

  /** A Redis lookup: reachable or not, and if present the product (null for a cached "missing"). */
  private record Lookup(boolean reachable, boolean isPresent, JsonObject value) {
    static final Lookup UNREACHABLE = new Lookup(false, false, null);
    static final Lookup ABSENT = new Lookup(true, false, null);
  }
}
