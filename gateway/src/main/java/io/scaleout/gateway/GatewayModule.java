package io.scaleout.gateway;

import io.scaleout.common.runtime.ServiceContext;
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
    List<HttpServer> servers = new CopyOnWriteArrayList<>();
    context.onDrain(() -> Future.join(servers.stream()
            .map(server -> server.shutdown(context.node().drainTimeout().toMillis(), TimeUnit.MILLISECONDS))
            .toList())
        .mapEmpty());
    return context.vertx()
        .deployVerticle(() -> new HttpServerVerticle(context, config, servers::add),
            new DeploymentOptions().setInstances(config.httpInstances()))
        .mapEmpty();
  }
}
