package io.scaleout.common.gateway;

/** Event-bus addresses the gateways use among themselves. */
public final class GatewayAddresses {
  /** Publish: a {@link BreakerNotice} when a gateway's breaker changes state. */
  public static final String BREAKER_CHANGED = "gateway.breaker.changed";
  private static final String CACHE_INVALIDATE_PREFIX = "gateway.cache.invalidate.";
  private static final String SESSION_ENDED_PREFIX = "gateway.session.ended.";

  private GatewayAddresses() {
  }

  /**
   * Request-reply, one address per gateway process (by cluster node id): {@code {tags:[...]}} drops
   * the tagged reverse-cache entries and replies once done, so the gateway that took a write can
   * answer only after every gateway forgot the old copy.
   */
  public static String cacheInvalidate(String nodeId) {
    return CACHE_INVALIDATE_PREFIX + nodeId;
  }

  /**
   * Request-reply, one address per gateway process (by cluster node id): the body of
   * {@code SessionAddresses.ENDED} ({@code {tokenHash}}); the gateway forgets the session and ends
   * its event streams, then replies, so the gateway that took a logout answers only after no
   * gateway accepts the token any more.
   */
  public static String sessionEnded(String nodeId) {
    return SESSION_ENDED_PREFIX + nodeId;
  }
}
