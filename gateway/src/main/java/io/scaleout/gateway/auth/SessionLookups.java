package io.scaleout.gateway.auth;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many session lookups each client address may cost this gateway: a token bucket per address,
 * in memory (the point is to spare the session store, so it asks nothing remote). Buckets are
 * forgotten wholesale when too many addresses were seen, as a flood from fresh addresses would
 * otherwise grow the map without bound.
 */
public final class SessionLookups {
  private static final class Bucket {
    double tokens;
    long refilledAtNanos;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.refilledAtNanos = now;
    }
  }

  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
  private final double perNano;
  private final int burst;
  private final int maxAddresses;

  public SessionLookups(AuthConfig config) {
    this.perNano = config.lookupsPerSecond() / 1e9;
    this.burst = config.lookupBurst();
    this.maxAddresses = config.cacheMax();
  }

  /** Gives back a lookup that found a session. */
  public void giveBack(String address) {
    Bucket bucket = buckets.get(address);
    if (bucket != null) {
      synchronized (bucket) {
        bucket.tokens = Math.min(burst, bucket.tokens + 1);
      }
    }
  }

  /** Takes one lookup from the address's bucket; false when it is empty. */
  public boolean tryTake(String address) {
    long now = System.nanoTime();
    if (buckets.size() >= maxAddresses && !buckets.containsKey(address)) {
      buckets.clear();
    }
    Bucket bucket = buckets.computeIfAbsent(address, a -> new Bucket(burst, now));
    synchronized (bucket) {
      bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.refilledAtNanos) * perNano);
      bucket.refilledAtNanos = now;
      if (bucket.tokens < 1) {
        return false;
      }
      bucket.tokens -= 1;
      return true;
    }
  }
}
