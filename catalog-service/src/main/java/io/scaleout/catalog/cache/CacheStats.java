package io.scaleout.catalog.cache;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.atomic.LongAdder;

/** Counters of the product cache: hits, misses, bypasses (Redis unusable), stale copies, loads. */
public final class CacheStats {
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder bypasses = new LongAdder();
  private final LongAdder stale = new LongAdder();
  private final LongAdder loads = new LongAdder();

  void hit() {
    hits.increment();
  }

  void miss() {
    misses.increment();
  }

  void bypass() {
    bypasses.increment();
  }

  void stale() {
    stale.increment();
  }

  void load() {
    loads.increment();
  }

  public long hits() {
    return hits.sum();
  }

  public long misses() {
    return misses.sum();
  }

  public long bypasses() {
    return bypasses.sum();
  }

  /** Database loads made for the cache (a miss shared by single flight counts once). */
  public long loads() {
    return loads.sum();
  }

  /** catalog_cache_requests_total{result=hit|miss|bypass|stale} and catalog_cache_loads_total. */
  public void bindTo(MeterRegistry registry) {
    request(registry, "hit", hits);
    request(registry, "miss", misses);
    request(registry, "bypass", bypasses);
    request(registry, "stale", stale);
    FunctionCounter.builder("catalog.cache.loads", loads, LongAdder::sum)
        .description("Database loads made for the product cache (single flight shares one)").register(registry);
  }

  private static void request(MeterRegistry registry, String result, LongAdder counter) {
    FunctionCounter.builder("catalog.cache.requests", counter, LongAdder::sum)
        .description("Product cache lookups by result").tag("result", result).register(registry);
  }

  public JsonObject toJson() {
    return new JsonObject().put("hits", hits()).put("misses", misses()).put("bypasses", bypasses())
        .put("stale", stale.sum()).put("loads", loads());
  }
}
