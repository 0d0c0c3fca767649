package io.scaleout.gateway.cache;

import io.scaleout.common.gateway.GatewayAddresses;
import io.scaleout.common.runtime.ServiceContext;
import io.scaleout.gateway.peers.EveryGateway;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Drops reverse-cache entries on every gateway before a write through this one is answered. The
 * catalog's change notice reaches every gateway too, but may arrive after the client's next read
 * on another gateway ({@link EveryGateway}); a gateway that does not acknowledge in time is not
 * waited for: its notice follows.
 */
public final class CacheInvalidation {
  private final ServiceContext context;
  private final ReverseCache cache;
  private final EveryGateway gateways;
  private final Duration ackTimeout;

  public CacheInvalidation(ServiceContext context, ReverseCache cache, EveryGateway gateways, Duration ackTimeout) {
    this.context = context;
    this.cache = cache;
    this.gateways = gateways;
    this.ackTimeout = ackTimeout;
  }

  public Future<Void> register() {
    return context.endpoints().register(GatewayAddresses.cacheInvalidate(context.nodeId()), message -> {
      cache.invalidate(tags(message.body().getJsonArray("tags")));
      return Future.succeededFuture(new JsonObject());
    });
  }

  /** Drops the tags here, then on every other gateway; completes when they acknowledged (or timed out). */
  public Future<Void> everywhere(List<String> tags) {
    cache.invalidate(tags);
    return gateways.ask(GatewayAddresses::cacheInvalidate, new JsonObject().put("tags", new JsonArray(new ArrayList<>(tags))), ackTimeout);
  }

  private static List<String> tags(JsonArray tags) {
    List<String> list = new ArrayList<>();
    if (tags != null) {
      tags.forEach(tag -> list.add(String.valueOf(tag)));
    }
    return list;
  }
}
