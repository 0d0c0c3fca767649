package io.scaleout.gateway.admin;

import io.scaleout.common.bus.Service;
import io.scaleout.common.runtime.ServiceContext;
import io.scaleout.gateway.cache.ReverseCache;
import io.scaleout.gateway.downstream.Downstreams;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * GET /api/admin/cluster: what this gateway knows of the cluster: the Hazelcast members and whether
 * this gateway is in the main cluster (members missing after a crash or split), every instance of
 * every service by name with its readiness and ejection as this gateway sees it, the breakers of
 * every gateway (its own, and the others' as their notices told), and its reverse cache.
 */
public final class ClusterViewHandler {
  private final ServiceContext service;
  private final Downstreams downstreams;
  private final ReverseCache cache;

  public ClusterViewHandler(ServiceContext service, Downstreams downstreams, ReverseCache cache) {
    this.service = service;
    this.downstreams = downstreams;
    this.cache = cache;
  }

  public void handle(RoutingContext ctx) {
    JsonArray members = new JsonArray();
    if (ctx.vertx() instanceof VertxInternal internal && internal.clusterManager() != null) {
      internal.clusterManager().getNodes().forEach(members::add);
    }
    JsonObject instances = new JsonObject();
    for (Service target : Service.values()) {
      instances.put(target.id(), service.instances().balancer(target).instancesJson());
    }
    JsonObject view = new JsonObject()
        .put("gateway", service.node().instanceId())
        .put("members", members)
        .put("membership", service.membership().toJson())
        .put("instances", instances)
        .put("breakers", downstreams.breakersJson())
        .put("reverseCache", new JsonObject()
            .put("entries", cache.entryCount())
            .put("bytes", cache.bytes())
            .put("hitRatio", cache.hitRatio()));
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .end(view.toBuffer());
  }
}
