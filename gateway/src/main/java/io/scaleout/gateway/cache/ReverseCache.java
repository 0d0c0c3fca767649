package io.scaleout.gateway.cache;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.buffer.Buffer;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * GET replies kept in memory, least recently used first out, bounded in bytes, shared by all the
 * gateway's event loops. Entries carry tags (a product, the product lists) so that a change
 * notice drops exactly what depends on the changed data. Past its freshness an entry stays until
 * its stale period ends, to answer while the service's breaker is open.
 */
public final class ReverseCache {
  /** Rough bytes of bookkeeping per entry, so that many tiny entries still count. */
  private static final int ENTRY_OVERHEAD = 256;
  /** Tags whose last invalidation is remembered; older ones are summed up in {@link #forgottenUpTo}. */
  private static final int TRACKED_INVALIDATIONS = 100_000;

  public enum Result { HIT, MISS, STALE }

  private final ReverseCacheConfig config;
  private record Slot(CachedReply reply, int size) {
  }

  private final LinkedHashMap<String, Slot> entries = new LinkedHashMap<>(1024, 0.75f, true);
  private final Map<String, Set<String>> keysByTag = new HashMap<>();
  /** base key → the header names its replies vary on. */
  private final Map<String, List<String>> varyByBase = new HashMap<>();
  private final Map<Result, LongAdder> requests = new HashMap<>();
  private final LongAdder evictions = new LongAdder();
  private final LongAdder invalidations = new LongAdder();
  private long bytes;
  /** Bumped by every invalidation; a fetch notes it when it starts. */
  private long generation;
  /** tag → generation of its last invalidation, oldest first. */
  private final LinkedHashMap<String, Long> invalidatedAt = new LinkedHashMap<>();
  /** Invalidations at or below this generation are no longer tracked per tag. */
  private long forgottenUpTo;

  public ReverseCache(ReverseCacheConfig config, MeterRegistry metrics) {
    this.config = config;
    for (Result result : Result.values()) {
      LongAdder counter = new LongAdder();
      requests.put(result, counter);
      FunctionCounter.builder("gateway.reverse.cache.requests", counter, LongAdder::sum)
          .tag("result", result.name().toLowerCase()).register(metrics);
    }
    FunctionCounter.builder("gateway.reverse.cache.evictions", evictions, LongAdder::sum).register(metrics);
    FunctionCounter.builder("gateway.reverse.cache.invalidations", invalidations, LongAdder::sum).register(metrics);
    Gauge.builder("gateway.reverse.cache.size", this, ReverseCache::bytes).baseUnit("bytes").register(metrics);
    Gauge.builder("gateway.reverse.cache.entries", this, ReverseCache::entryCount).register(metrics);
  }

  public boolean enabled() {
    return config.maxBytes() > 0;
  }

  /** The generation a fetch must note before it asks the service (see {@link #put}). */
  public synchronized long generation() {
    return generation;
  }

  /** The header names the replies for a base key vary on (none until a reply said so). */
  public synchronized List<String> varyOf(String base) {
    return varyByBase.getOrDefault(base, List.of());
  }

  /** The entry for a key, fresh or not (null when absent or past its stale period). */
  public synchronized CachedReply get(String key) {
    Slot slot = entries.get(key);
    if (slot == null) {
      return null;
    }
    if (System.nanoTime() - (slot.reply.freshUntilNanos() + config.staleFor().toNanos()) > 0) {
      remove(key);
      return null;
    }
    return slot.reply;
  }

  /**
   * Keeps a reply for maxAgeSeconds under its base key and Vary; too large a reply is not kept.
   * Nor is a reply fetched before one of its tags was invalidated ({@code fetchedAt}, the
   * {@link #generation()} when the fetch started): it may predate the change and would undo the
   * invalidation.
   */
  public synchronized void put(String base, List<String> vary, String key, Buffer body, String etag, String cacheControl,
                               long maxAgeSeconds, List<String> tags, long fetchedAt) {
    int size = body.length() + key.length() * 2 + ENTRY_OVERHEAD;
    if (!enabled() || size > config.maxEntryBytes() || size > config.maxBytes() || invalidatedSince(tags, fetchedAt)) {
      return;
    }
    if (vary.isEmpty()) {
      varyByBase.remove(base);
    } else {
      if (varyByBase.size() >= entries.size() + 1024) {
        varyByBase.clear();
      }
      varyByBase.put(base, vary);
    }
    remove(key);
    long now = System.nanoTime();
    CachedReply reply = new CachedReply(body, etag, cacheControl, now, now + maxAgeSeconds * 1_000_000_000L, List.copyOf(tags));
    entries.put(key, new Slot(reply, size));
    bytes += size;
    for (String tag : tags) {
      keysByTag.computeIfAbsent(tag, t -> new HashSet<>()).add(key);
    }
    Iterator<Map.Entry<String, Slot>> eldest = entries.entrySet().iterator();
    while (bytes > config.maxBytes() && eldest.hasNext()) {
      Map.Entry<String, Slot> victim = eldest.next();
      eldest.remove();
      forget(victim.getKey(), victim.getValue());
      evictions.increment();
    }
  }

  /** Drops every entry carrying one of the tags. */
  public synchronized void invalidate(List<String> tags) {
    generation++;
    for (String tag : tags) {
      invalidatedAt.remove(tag);
      invalidatedAt.put(tag, generation);
    }
    Iterator<Map.Entry<String, Long>> oldest = invalidatedAt.entrySet().iterator();
    while (invalidatedAt.size() > TRACKED_INVALIDATIONS) {
      forgottenUpTo = Math.max(forgottenUpTo, oldest.next().getValue());
      oldest.remove();
    }
    for (String tag : tags) {
      Set<String> keys = keysByTag.remove(tag);
      if (keys != null) {
        for (String key : List.copyOf(keys)) {
          remove(key);
          invalidations.increment();
        }
      }
    }
  }

  public void count(Result result) {
    requests.get(result).increment();
  }

  public synchronized long bytes() {
    return bytes;
  }

  public synchronized int entryCount() {
    return entries.size();
  }

  /** Hits over all lookups so far (0 when none). */
  public double hitRatio() {
    double hits = requests.get(Result.HIT).sum();
    double all = hits + requests.get(Result.MISS).sum() + requests.get(Result.STALE).sum();
    return all == 0 ? 0 : hits / all;
  }

  private boolean invalidatedSince(List<String> tags, long fetchedAt) {
    if (fetchedAt < forgottenUpTo) {
      return true;
    }
    for (String tag : tags) {
      Long at = invalidatedAt.get(tag);
      if (at != null && at > fetchedAt) {
        return true;
      }
    }
    return false;
  }

  private void remove(String key) {
    Slot slot = entries.remove(key);
    if (slot != null) {
      forget(key, slot);
    }
  }

  /** Bookkeeping of an entry already taken out of the map. */
  private void forget(String key, Slot slot) {
    bytes -= slot.size;
    for (String tag : slot.reply.tags()) {
      Set<String> keys = keysByTag.get(tag);
      if (keys != null && keys.remove(key) && keys.isEmpty()) {
        keysByTag.remove(tag);
      }
    }
  }
}
