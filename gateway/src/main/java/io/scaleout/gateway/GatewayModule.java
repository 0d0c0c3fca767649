package io.scaleout.gateway;

import io.scaleout.common.runtime.ServiceContext;
import io.scaleout.common.session.SessionAddresses;
import io.scaleout.gateway.auth.SessionCache;
import io.scaleout.gateway.http.HttpServerVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServer;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** Starts the gateway's HTTP verticles and hands their servers to the shutdown drain. */
public final class GatewayModule {
  private GatewayModule() {
  }

  public static Future<Void> start(ServiceContext context) {
    GatewayConfig config = GatewayConfig.from(context.settings());
    SessionCache sessions = new SessionCache(config.authCacheTtl(), config.authCacheMax());
    List<HttpServer> servers = new CopyOnWriteArrayList<>();
    context.onDrain(() -> Future.join(servers.stream()
            .map(server -> server.shutdown(context.node().drainTimeout().toMillis(), TimeUnit.MILLISECONDS))
            .toList())
        .mapEmpty());
    // a logout anywhere drops this gateway's cached copy of the session at once
    return context.endpoints().register(SessionAddresses.ENDED, message -> {
          sessions.drop(message.body().getString("tokenHash"));
          return Future.succeededFuture();
        })
        .compose(v -> context.vertx().deployVerticle(() -> new HttpServerVerticle(context, config, sessions, servers::add),
            new DeploymentOptions().setInstances(config.httpInstances())))
        .mapEmpty();
  }
}
