package io.scaleout.gateway.ops;

import io.scaleout.common.bus.InstanceAddresses;
import io.scaleout.common.bus.Service;
import io.scaleout.common.ops.OpsSnapshot;
import io.scaleout.common.runtime.ServiceContext;
import io.scaleout.gateway.downstream.Downstreams;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * GET /api/admin/ops: the whole platform at this moment, for the operations dashboard. Every
 * instance this gateway knows of, of every service (gateways too), is asked for its
 * {@link OpsSnapshot} on its own address, all at once and each within {@code timeout}; the reply
 * lists each instance with its state as this gateway sees it (ready, not ready, ejected) and its
 * figures, or why it gave none, with the breakers every gateway announced. Figures are totals:
 * the dashboard makes rates and percentiles from two replies.
 */
public final class OpsViewHandler {
  private final ServiceContext service;
  private final Downstreams downstreams;
  private final DeliveryOptions options;

  public OpsViewHandler(ServiceContext service, Downstreams downstreams, Duration timeout) {
    this.service = service;
    this.downstreams = downstreams;
    this.options = new DeliveryOptions().setSendTimeout(timeout.toMillis());
  }

  public void handle(RoutingContext ctx) {
    List<Future<JsonObject>> asked = new ArrayList<>();
    for (Service target : Service.values()) {
      for (Object known : service.instances().balancer(target).instancesJson()) {
        asked.add(ask(target, (JsonObject) known));
      }
    }
    Future.join(asked).onComplete(done -> {
      try {
        reply(ctx, asked);
      } catch (RuntimeException e) {
        ctx.fail(e);
      }
    });
  }

  private void reply(RoutingContext ctx, List<Future<JsonObject>> asked) {
    JsonObject services = new JsonObject();
    for (Service target : Service.values()) {
      services.put(target.id(), new JsonArray());
    }
    for (Future<JsonObject> answer : asked) {
      JsonObject instance = answer.result();
      services.getJsonArray(instance.getString("service")).add(instance);
    }
    JsonObject view = new JsonObject()
        .put("at", System.currentTimeMillis())
        .put("gateway", service.node().instanceId())
        .put("services", services)
        .put("breakers", downstreams.breakersJson())
        .put("membership", service.membership().toJson());
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .end(view.toBuffer());
  }

  /** One instance's entry: never failed, an instance that does not answer is listed with the reason. */
  private Future<JsonObject> ask(Service target, JsonObject known) {
    String instance = known.getString("instance");
    JsonObject entry = new JsonObject().put("service", target.id()).put("instance", instance)
        .put("seenAs", known.getString("state")).put("inFlight", known.getValue("inFlight"));
    return service.vertx().eventBus().<JsonObject>request(InstanceAddresses.of(OpsSnapshot.address(target.id()), instance),
            new JsonObject(), options)
        .map(reply -> {
          OpsSnapshot snapshot = OpsSnapshot.fromJson(reply.body());
          return entry.put("state", snapshot.state().name()).put("uptimeMs", snapshot.uptimeMs())
              .put("figures", snapshot.toJson().getJsonObject("figures"));
        })
        .otherwise(failure -> entry.put("state", "UNREACHABLE").put("error", String.valueOf(failure.getMessage())));
  }
}
