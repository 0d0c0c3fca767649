package io.scaleout.session.api;

import io.scaleout.common.api.ApiReply;
import io.scaleout.common.api.ApiRequest;
import io.scaleout.common.api.Ids;
import io.scaleout.common.api.CallerSeal;
import io.scaleout.common.bus.BusClient;
import io.scaleout.common.bus.BusEndpoints;
import io.scaleout.common.bus.FailureCode;
import io.scaleout.common.bus.Problem;
import io.scaleout.common.bus.ServiceException;
import io.scaleout.common.bus.Service;
import io.scaleout.common.catalog.CatalogAddresses;
import io.scaleout.common.session.SessionAddresses;
import io.scaleout.session.cart.CartStore;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.List;

/** The caller's cart. A product must exist: the catalog is asked over the bus, with a timeout. */
public final class CartEndpoints {
  private final CartStore carts;
  private final BusClient bus;
  private final int maxItems;
  private final Duration catalogTimeout;
  private final CallerSeal callers;

  public CartEndpoints(CartStore carts, BusClient bus, int maxItems, Duration catalogTimeout, CallerSeal callers) {
    this.carts = carts;
    this.bus = bus;
    this.maxItems = maxItems;
    this.catalogTimeout = catalogTimeout;
    this.callers = callers;
  }

  public Future<Void> register(BusEndpoints endpoints) {
    return Future.all(List.of(
        endpoints.register(SessionAddresses.CART_GET, this::get),
        endpoints.register(SessionAddresses.CART_SET, this::set),
        endpoints.register(SessionAddresses.CART_REMOVE, this::remove))).mapEmpty();
  }

  private Future<ApiReply> get(Message<JsonObject> message) {
    return Dependencies.guard("cart store", carts.get(user(message))).map(CartEndpoints::reply);
  }

  private Future<ApiReply> set(Message<JsonObject> message) {
    String user = user(message);
    ApiRequest request = ApiRequest.fromJson(message.body());
    long productId = productId(request);
    int quantity = quantity(request.body());
    return productExists(productId)
        .compose(v -> Dependencies.guard("cart store", carts.set(user, productId, quantity, maxItems)))
        .compose(cart -> cart.isPresent() ? Future.succeededFuture(reply(cart.get()))
            : Future.failedFuture(new ServiceException(FailureCode.CONFLICT, "A cart holds at most " + maxItems + " different products")));
  }

  private Future<ApiReply> remove(Message<JsonObject> message) {
    String user = user(message);
    long productId = productId(ApiRequest.fromJson(message.body()));
    return Dependencies.guard("cart store", carts.remove(user, productId)).map(CartEndpoints::reply);
  }

  private Future<Void> productExists(long productId) {
    ApiRequest lookup = new ApiRequest(new JsonObject().put("id", Long.toString(productId)), null, null, null);
    return bus.requestIdempotent(Service.CATALOG, CatalogAddresses.PRODUCT_GET, lookup.toJson(), new DeliveryOptions().setSendTimeout(catalogTimeout.toMillis()))
        .<Void>mapEmpty()
        .recover(failure -> {
          Problem problem = Problem.fromFailure(failure, "catalog");
          if (problem.code() == FailureCode.NOT_FOUND) {
            return Future.failedFuture(new ServiceException(FailureCode.NOT_FOUND, "No product " + productId,
                new JsonObject().put("field", "productId")));
          }
          return Future.failedFuture(new ServiceException(FailureCode.UNAVAILABLE, "The catalog cannot confirm the product now; retry shortly"));
        });
  }

  private static ApiReply reply(JsonObject cart) {
    return ApiReply.ok(cart).cacheControl("private, no-store");
  }

  private String user(Message<JsonObject> message) {
    return callers.user(message, "use a cart").userId();
  }

  private static long productId(ApiRequest request) {
    return Ids.pathParam(request, "productId", "A product id");
  }

  private static int quantity(Object body) {
    if (!(body instanceof JsonObject json) || !(json.getValue("quantity") instanceof Integer quantity)
        || quantity < 1 || quantity > 99 || json.size() != 1) {
      throw ServiceException.badField("quantity", "The body must be {\"quantity\": 1..99}");
    }
    return quantity;
  }
}
