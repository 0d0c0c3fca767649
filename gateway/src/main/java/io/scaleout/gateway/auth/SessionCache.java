package io.scaleout.gateway.auth;

import io.scaleout.common.api.Caller;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Positive session answers of this gateway, keyed by token hash, for a few seconds at most; an
 * entry is dropped at once when the session service announces that the session ended.
 */
public final class SessionCache {
  private record Entry(Caller caller, long expiresAtNanos) {
  }

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final Duration ttl;
  private final int maxEntries;

  public SessionCache(Duration ttl, int maxEntries) {
    this.ttl = ttl;
    this.maxEntries = maxEntries;
  }

  public Caller get(String tokenHash) {
    Entry entry = entries.get(tokenHash);
    if (entry == null) {
      return null;
    }
    if (System.nanoTime() > entry.expiresAtNanos) {
      entries.remove(tokenHash, entry);
      return null;
    }
    return entry.caller;
  }

  /** Keeps the answer for the cache TTL, or until the session's own expiry if sooner. */
  public void put(String tokenHash, Caller caller, Duration sessionLeft) {
    if (ttl.isZero()) {
      return;
    }
    if (entries.size() >= maxEntries) {
      // a flood of distinct sessions: start over rather than grow without bound
      entries.clear();
    }
    Duration keep = sessionLeft.compareTo(ttl) < 0 ? sessionLeft : ttl;
    entries.put(tokenHash, new Entry(caller, System.nanoTime() + keep.toNanos()));
  }

  public void drop(String tokenHash) {
    entries.remove(tokenHash);
  }
}
