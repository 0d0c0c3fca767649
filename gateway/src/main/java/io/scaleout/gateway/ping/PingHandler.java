package io.scaleout.gateway.ping;

import io.scaleout.common.bus.BusClient;
import io.scaleout.common.bus.PingReply;
import io.scaleout.common.bus.Problem;
import io.scaleout.common.bus.Service;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.List;

/**
 * GET /api/ping: asks one instance of each service (the bus picks it) in parallel and reports who
 * answered. A service that does not answer gets a 503 problem in its section, and the whole reply
 * is 503 so scripts can wait on it.
 */
public final class PingHandler {
  private static final List<Service> TARGETS = List.of(Service.CATALOG, Service.SESSION, Service.WORKER);

  private final BusClient bus;
  private final String gatewayInstance;

  public PingHandler(BusClient bus, String gatewayInstance) {
    this.bus = bus;
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
    return bus.<JsonObject>request(service.pingAddress(), null)
        .<Object>map(reply -> PingReply.fromJson(reply.body()).instance())
        .recover(failure -> Future.succeededFuture(Problem.fromFailure(failure, service.id()).toJson()));
  }
}
