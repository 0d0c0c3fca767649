package io.scaleout.catalog;

import io.scaleout.common.api.ApiReply;
import io.scaleout.common.api.ApiRequest;
import io.scaleout.common.api.Caller;
import io.scaleout.common.api.CallerSeal;
import io.scaleout.common.bus.Problem;
import io.scaleout.common.catalog.CatalogAddresses;
import io.scaleout.testsupport.Await;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/** Calls the catalog over the event bus the way the gateway does, from a test thread. */
final class CatalogClient {
  static final Caller ADMIN = new Caller("admin-1", Set.of("admin"));
  static final Caller SHOPPER = new Caller("user-1", Set.of("user"));

  /** A reply: HTTP status, headers and body; or the problem a failure stands for. */
  record Reply(int status, MultiMap headers, Object body, Problem problem) {
    JsonObject json() {
      return (JsonObject) body;
    }
  }

  private final Vertx vertx;
  private final CallerSeal callers;

  CatalogClient(Vertx vertx, CallerSeal callers) {
    this.vertx = vertx;
    this.callers = callers;
  }

  Future<Reply> send(String address, ApiRequest request, Caller caller) {
    DeliveryOptions options = callers.sign(caller, address, new DeliveryOptions().setSendTimeout(10_000));
    return vertx.eventBus().<Object>request(address, request.toJson(), options).transform(ar -> {
      if (ar.succeeded()) {
        Message<Object> message = ar.result();
        return Future.succeededFuture(new Reply(ApiReply.status(message.headers()), message.headers(), message.body(), null));
      }
      Problem problem = Problem.fromFailure(ar.cause(), "catalog");
      return Future.succeededFuture(new Reply(problem.status(), MultiMap.caseInsensitiveMultiMap(), null, problem));
    });
  }

  /** A raw internal request (not an ApiRequest), e.g. a stock change. */
  Future<Reply> vertxRequest(String address, JsonObject body) {
    return vertx.eventBus().<Object>request(address, body, new DeliveryOptions().setSendTimeout(10_000)).transform(ar ->
        Future.succeededFuture(ar.succeeded()
            ? new Reply(200, ar.result().headers(), ar.result().body(), null)
            : new Reply(Problem.fromFailure(ar.cause(), "catalog").status(), MultiMap.caseInsensitiveMultiMap(), null,
                Problem.fromFailure(ar.cause(), "catalog"))));
  }

  Reply await(Future<Reply> reply) {
    return Await.result(reply, Duration.ofSeconds(30));
  }

  Reply get(long id) {
    return await(send(CatalogAddresses.PRODUCT_GET, new ApiRequest(new JsonObject().put("id", Long.toString(id)), null, null, null), Caller.ANONYMOUS));
  }

  Reply list(Map<String, String> query) {
    return await(send(CatalogAddresses.PRODUCTS_LIST, new ApiRequest(null, new JsonObject(Map.copyOf(query)), null, null), Caller.ANONYMOUS));
  }

  Reply create(JsonObject body, Caller caller) {
    return await(send(CatalogAddresses.PRODUCT_CREATE, new ApiRequest(null, null, body, null), caller));
  }

  Reply update(long id, String ifMatch, JsonObject body, Caller caller) {
    JsonObject headers = ifMatch == null ? null : new JsonObject().put(ApiRequest.IF_MATCH, ifMatch);
    return await(send(CatalogAddresses.PRODUCT_UPDATE, new ApiRequest(new JsonObject().put("id", Long.toString(id)), null, body, headers), caller));
  }

  Reply delete(long id, Caller caller) {
    return await(send(CatalogAddresses.PRODUCT_DELETE, new ApiRequest(new JsonObject().put("id", Long.toString(id)), null, null, null), caller));
  }

  static JsonObject product(String sku, String category, long priceCents) {
    return new JsonObject().put("sku", sku).put("name", "Product " + sku).put("description", "A fine " + category + " item")
        .put("category", category).put("priceCents", priceCents).put("currency", "EUR").put("stock", 10);
  }
}
