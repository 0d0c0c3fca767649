package io.scaleout.gateway.ping;

import io.scaleout.common.bus.PingReply;
import io.scaleout.common.bus.Problem;
import io.scaleout.common.bus.Service;
import io.scaleout.gateway.downstream.Downstreams;
import io.scaleout.gateway.downstream.Refusal;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;
import java.util.List;

/**
 * GET /api/ping: asks one instance of each service (the bus picks it) in parallel and reports who
 * answered. Each ask goes through the service's downstream like any read (one retry inside the
 * route's budget, the breaker, the bulkhead), so an instance leaving mid-ask is not a failed ping.
 * A service that does not answer gets a problem in its section, and the whole reply is 503 so
 * scripts can wait on it.
 */
public final class PingHandler {
  private static final List<Service> TARGETS = List.of(Service.CATALOG, Service.SESSION, Service.WORKER);

  private final Downstreams downstreams;
  private final Duration timeout;
  private final String gatewayInstance;

  public PingHandler(Downstreams downstreams, Duration timeout, String gatewayInstance) {
    this.downstreams = downstreams;
    this.timeout = timeout;
    this.gatewayInstance = gatewayInstance;
  }

  public void handle(RoutingContext ctx) {
    List<Future<Object>> sections = TARGETS.stream().map(this::ping).toList();
    Future.all(sections).onComplete(all -> {
      JsonObject services = new JsonObject();
      boolean complete = true;
      for (int i = 0; i < TARGETS.size(); i++) {
        Object section = sections.get(i).result();
        complete &= section instanceof String;
        services.put(TARGETS.get(i).id(), section);
      }
      if (!complete) {
        ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "1");
      }
      ctx.response()
          .setStatusCode(complete ? 200 : 503)
          .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
          .end(new JsonObject().put("gateway", gatewayInstance).put("services", services).toBuffer());
    });
  }

  /** The instance id that answered, or the problem as JSON: this future never fails. */
  private Future<Object> ping(Service service) {
    return downstreams.of(service).call(service.pingAddress(), null, new DeliveryOptions(), timeout, true)
        .<Object>map(reply -> PingReply.fromJson((JsonObject) reply.body()).instance())
        .recover(failure -> Future.succeededFuture((failure instanceof Refusal refusal
            ? refusal.problem() : Problem.fromFailure(failure, service.id())).toJson()));
  }
}
