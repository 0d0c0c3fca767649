package io.scaleout.gateway.cache;

import io.vertx.core.buffer.Buffer;

import java.util.List;

/**
 * A JSON reply kept by the gateway: its encoded body, validators and freshness.
 *
 * @param body         the encoded JSON body
 * @param etag         the strong validator answered with it
 * @param cacheControl the service's Cache-Control, passed on to clients as it was
 * @param storedAtNanos  when it was stored ({@link System#nanoTime()})
 * @param freshUntilNanos until when it is answered as a HIT
 * @param tags         what it depends on, for invalidation
 */
public record CachedReply(Buffer body, String etag, String cacheControl, long storedAtNanos, long freshUntilNanos, List<String> tags) {

  public boolean fresh(long nowNanos) {
    return nowNanos - freshUntilNanos < 0;
  }

  /** Seconds since it was stored, for the Age header. */
  public long ageSeconds(long nowNanos) {
    return (nowNanos - storedAtNanos) / 1_000_000_000L;
  }
}
