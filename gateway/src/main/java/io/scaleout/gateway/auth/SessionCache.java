package io.scaleout.gateway.auth;

import io.scaleout.common.api.Caller;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this gateway remembers of session lookups, keyed by token hash: positive answers for a few
 * seconds at most (dropped at once when the session service announces that the session ended),
 * and tokens the session service did not know, so a client repeating a made-up or ended token costs
 * no lookup. A token is never unknown first and valid later: gateways make tokens at login.
 */
public final class SessionCache {
  private record Entry(Caller caller, long expiresAtNanos) {
  }

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final Map<String, Long> unknown = new ConcurrentHashMap<>();
  private final Duration ttl;
  private final Duration unknownTtl;
  private final int maxEntries;

  public SessionCache(AuthConfig config) {
    this.ttl = config.cacheTtl();
    this.unknownTtl = config.unknownTtl();
    this.maxEntries = config.cacheMax();
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

  /** The session ended: its token is unknown from now on. */
  public void drop(String tokenHash) {
    entries.remove(tokenHash);
    putUnknown(tokenHash);
  }

  /** Whether the session service recently said it knows no session of this token. */
  public boolean isUnknown(String tokenHash) {
    Long until = unknown.get(tokenHash);
    if (until == null) {
      return false;
    }
    if (System.nanoTime() - until > 0) {
      unknown.remove(tokenHash, until);
      return false;
    }
    return true;
  }

  public void putUnknown(String tokenHash) {
    if (unknownTtl.isZero()) {
      return;
    }
    if (unknown.size() >= maxEntries) {
      unknown.clear();
    }
    unknown.put(tokenHash, System.nanoTime() + unknownTtl.toNanos());
  }
}
