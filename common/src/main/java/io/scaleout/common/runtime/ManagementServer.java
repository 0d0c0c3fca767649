package io.scaleout.common.runtime;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;

/**
 * The per-process management port: liveness and readiness for scripts, load balancers and
 * orchestrators, and Prometheus metrics. Kept off the public port so probes are never rate limited
 * or cached.
 */
public final class ManagementServer {
  private ManagementServer() {
  }

  public static Future<HttpServer> start(Vertx vertx, String host, int port, HealthChecks live, HealthChecks ready,
                                        PrometheusMeterRegistry metrics) {
    Router router = Router.router(vertx);
    router.get("/health/live").handler(HealthCheckHandler.createWithHealthChecks(live));
    router.get("/health/ready").handler(HealthCheckHandler.createWithHealthChecks(ready));
    router.get("/metrics").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        .end(metrics.scrape()));
    return vertx.createHttpServer().requestHandler(router).listen(port, host)
        .recover(failure -> Future.failedFuture(new IllegalStateException(
            "Cannot listen on management port " + host + ":" + port + " (MGMT_PORT): " + failure.getMessage(), failure)));
  }
}
