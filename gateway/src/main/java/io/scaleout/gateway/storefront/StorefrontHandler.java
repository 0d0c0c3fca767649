package io.scaleout.gateway.storefront;

import io.scaleout.common.api.ApiRequest;
import io.scaleout.common.api.Caller;
import io.scaleout.common.api.CallerSeal;
import io.scaleout.common.bus.Service;
import io.scaleout.common.catalog.CatalogAddresses;
import io.scaleout.common.session.SessionAddresses;
import io.scaleout.gateway.auth.Authenticator;
import io.scaleout.gateway.cache.ETags;
import io.scaleout.gateway.downstream.Downstreams;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;

/**
 * GET /api/storefront: the featured products (the catalog's newest) and the caller's cart summary,
 * asked in parallel. A section that fails or is late is left out and named in {@code degraded};
 * the page still answers 200 with what it has.
 */
public final class StorefrontHandler {
  private final Downstreams downstreams;
  private final CallerSeal callers;
  private final int featured;
  private final Duration sectionTimeout;

  public StorefrontHandler(Downstreams downstreams, CallerSeal callers, int featured, Duration sectionTimeout) {
    this.downstreams = downstreams;
    this.callers = callers;
    this.featured = featured;
    this.sectionTimeout = sectionTimeout;
  }

  public void handle(RoutingContext ctx) {
    Caller caller = Authenticator.caller(ctx);
    Future<Object> products = section(Service.CATALOG, CatalogAddresses.PRODUCTS_LIST,
        new ApiRequest(new JsonObject(), new JsonObject().put("sort", "newest").put("limit", Integer.toString(featured)), null, null),
        Caller.ANONYMOUS);
    Future<Object> cart = caller.authenticated()
        ? section(Service.SESSION, SessionAddresses.CART_GET, new ApiRequest(new JsonObject(), new JsonObject(), null, null), caller)
        : Future.succeededFuture(null);
    Future.join(products, cart).onComplete(done -> {
      JsonObject page = new JsonObject();
      JsonArray degraded = new JsonArray();
      if (products.succeeded()) {
        page.put("featured", ((JsonObject) products.result()).getJsonArray("items"));
      } else {
        degraded.add("featured");
      }
      if (cart.succeeded()) {
        JsonObject summary = (JsonObject) cart.result();
        page.put("cart", summary == null ? null
            : new JsonObject().put("count", summary.getLong("count")).put("lines", summary.getJsonArray("items").size()));
      } else {
        degraded.add("cart");
      }
      page.put("degraded", degraded);
      write(ctx, page.toBuffer());
    });
  }

  private Future<Object> section(Service service, String address, ApiRequest request, Caller caller) {
    return downstreams.of(service).call(address, request.toJson(), callers.sign(caller, address, new DeliveryOptions()), sectionTimeout, true)
        .map(reply -> reply.body());
  }

  private static void write(RoutingContext ctx, Buffer body) {
    String etag = ETags.of(body);
    ctx.response().putHeader(HttpHeaders.ETAG, etag).putHeader(HttpHeaders.CACHE_CONTROL, "private, no-cache");
    if (ETags.matches(ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH), etag)) {
      ctx.response().setStatusCode(304).end();
      return;
    }
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body);
  }
}
