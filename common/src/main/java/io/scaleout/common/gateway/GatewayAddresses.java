package io.scaleout.common.gateway;

/** Event-bus addresses the gateways use among themselves. */
public final class GatewayAddresses {
  /** Publish: a {@link BreakerNotice} when a gateway's breaker changes state. */
  public static final String BREAKER_CHANGED = "gateway.breaker.changed";
  private static final String CACHE_INVALIDATE_PREFIX = "gateway.cache.invalidate.";

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
}
