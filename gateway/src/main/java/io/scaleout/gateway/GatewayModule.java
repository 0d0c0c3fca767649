package io.scaleout.gateway;

import io.scaleout.common.catalog.CatalogAddresses;
import io.scaleout.common.catalog.ChangeNotice;
import io.scaleout.common.runtime.ServiceContext;
import io.scaleout.common.worker.JobEvent;
import io.scaleout.common.worker.WorkerAddresses;
import io.scaleout.gateway.auth.SessionCache;
import io.scaleout.gateway.auth.SessionEnds;
import io.scaleout.gateway.auth.SessionLookups;
import io.scaleout.gateway.cache.CacheInvalidation;
import io.scaleout.gateway.cache.CatalogTags;
import io.scaleout.gateway.cache.ReverseCache;
import io.scaleout.gateway.downstream.Downstreams;
import io.scaleout.gateway.edge.EdgeLimits;
import io.scaleout.gateway.events.JobEventStreams;
import io.scaleout.gateway.http.ClientAddresses;
import io.scaleout.gateway.http.HttpServerVerticle;
import io.scaleout.gateway.ops.RouteStats;
import io.scaleout.gateway.peers.EveryGateway;
import io.scaleout.gateway.ratelimit.RateLimiter;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServer;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Builds what the gateway's event loops share, subscribes to the cluster's notices (logouts,
 * catalog changes, other gateways' breakers, job changes), then starts one HTTP verticle per
 * configured instance and hands their servers to the shutdown drain.
 */
public final class GatewayModule {
  private GatewayModule() {
  }

  public static Future<Void> start(ServiceContext context) {
    GatewayParts parts = parts(context, GatewayConfig.from(context.settings()));
    List<HttpServer> servers = new CopyOnWriteArrayList<>();
    // event streams never end by themselves: end them so the servers' shutdown need not wait them out
    context.onDrain(() -> parts.eventStreams().closeAll());
    context.onDrain(() -> Future.join(servers.stream()
            .map(server -> server.shutdown(context.node().drainTimeout().toMillis(), TimeUnit.MILLISECONDS))
            .toList())
        .mapEmpty());
    return Future.all(List.of(
            // a logout anywhere drops this gateway's cached copy of the session and ends its event
            // streams at once
            parts.sessionEnds().register(),
            // a committed catalog write anywhere drops what this gateway cached of it
            context.endpoints().register(CatalogAddresses.CHANGED, message -> {
              parts.cache().invalidate(CatalogTags.changed(ChangeNotice.fromJson(message.body())));
              return Future.succeededFuture();
            }),
            // a job's change anywhere reaches its owner's event streams on this gateway
            context.endpoints().register(WorkerAddresses.JOB_EVENTS, message -> {
              parts.eventStreams().dispatch(JobEvent.fromJson(message.body()));
              return Future.succeededFuture();
            }),
            parts.invalidation().register(),
            parts.downstreams().register()))
        .compose(v -> context.vertx().deployVerticle(() -> new HttpServerVerticle(context, parts, servers::add),
            new DeploymentOptions().setInstances(parts.config().http().instances())))
        .mapEmpty();
  }

  private static GatewayParts parts(ServiceContext context, GatewayConfig config) {
    ClientAddresses clients = new ClientAddresses(config.http().trustedProxies());
    ReverseCache cache = new ReverseCache(config.cache(), context.metrics());
    SessionCache sessions = new SessionCache(config.auth());
    JobEventStreams eventStreams = new JobEventStreams(config.events().maxStreamsPerUser());
    EveryGateway gateways = new EveryGateway(context);
    return new GatewayParts(config,
        new EdgeLimits(config.edge(), context.metrics()),
        sessions,
        new SessionLookups(config.auth()),
        new Downstreams(context, config.downstream()),
        cache,
        new CacheInvalidation(context, cache, gateways, config.cache().invalidationAckTimeout()),
        new RateLimiter(context.vertx(), config.rateLimit(), clients, context.metrics()),
        clients,
        eventStreams,
        new SessionEnds(context, sessions, eventStreams, gateways, config.auth().logoutAckTimeout()),
        new RouteStats(context.metrics()));
  }
}
