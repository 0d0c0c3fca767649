package io.scaleout.gateway.cache;

import io.scaleout.common.gateway.GatewayAddresses;
import io.scaleout.common.runtime.ServiceContext;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Drops reverse-cache entries on every gateway before a write through this one is answered. The
 * catalog's change notice reaches every gateway too, but a publish may arrive after the client's
 * next read on another gateway; asking each gateway (one address per cluster member, members
 * without a gateway answer "no handlers" at once) and waiting for their acknowledgement closes
 * that window. A gateway that does not acknowledge in time is not waited for: its notice follows.
 */
public final class CacheInvalidation {
  private final ServiceContext context;
  private final ReverseCache cache;
  private final Duration ackTimeout;

  public CacheInvalidation(ServiceContext context, ReverseCache cache, Duration ackTimeout) {
    this.context = context;
    this.cache = cache;
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
    ClusterManager cluster = ((VertxInternal) context.vertx()).clusterManager();
    if (cluster == null) {
      return Future.succeededFuture();
    }
    JsonObject request = new JsonObject().put("tags", new JsonArray(new ArrayList<>(tags)));
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(ackTimeout.toMillis());
    List<Future<Object>> acks = cluster.getNodes().stream()
        .filter(node -> !node.equals(context.nodeId()))
        .map(node -> context.vertx().eventBus().request(GatewayAddresses.cacheInvalidate(node), request, options)
            .<Object>mapEmpty())
        .toList();
    return Future.join(new ArrayList<>(acks)).<Void>mapEmpty().otherwiseEmpty();
  }

  private static List<String> tags(JsonArray tags) {
    List<String> list = new ArrayList<>();
    if (tags != null) {
      tags.forEach(tag -> list.add(String.valueOf(tag)));
    }
    return list;
  }
}
