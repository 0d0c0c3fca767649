package io.scaleout.gateway.ratelimit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The same token buckets as the Redis script, in this gateway's memory: the fallback while Redis
 * cannot be reached. Each gateway then limits on its own (a client may get N gateways' budgets),
 * which is the price of failing open instead of closed.
 */
final class LocalBuckets {
  private static final int MAX_KEYS = 100_000;

  private static final class Bucket {
    double tokens;
    long updatedNanos;
  }

  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  Decision take(String key, RateLimitConfig.Budget budget) {
    if (buckets.size() >= MAX_KEYS) {
      // a flood of distinct clients: start over rather than grow without bound
      buckets.clear();
    }
    Bucket bucket = buckets.computeIfAbsent(key, k -> {
      Bucket fresh = new Bucket();
      fresh.tokens = budget.burst();
      fresh.updatedNanos = System.nanoTime();
      return fresh;
    });
    synchronized (bucket) {
      long now = System.nanoTime();
      double rate = budget.ratePerSecond();
      bucket.tokens = Math.min(budget.burst(), bucket.tokens + (now - bucket.updatedNanos) / 1e9 * rate);
      bucket.updatedNanos = now;
      boolean allowed = bucket.tokens >= 1;
      if (allowed) {
        bucket.tokens -= 1;
      }
      long waitMicros = allowed ? 0 : (long) Math.ceil((1 - bucket.tokens) * 1e6 / rate);
      long fullMicros = (long) Math.ceil((budget.burst() - bucket.tokens) * 1e6 / rate);
      return Decision.of(allowed, budget.burst(), (long) Math.floor(bucket.tokens), waitMicros, fullMicros);
    }
  }
}
