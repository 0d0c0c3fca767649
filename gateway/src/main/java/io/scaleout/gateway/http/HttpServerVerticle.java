package io.scaleout.gateway.http;

import io.scaleout.common.bus.FailureCode;
import io.scaleout.common.bus.Problem;
import io.scaleout.common.bus.Service;
import io.scaleout.common.catalog.CatalogAddresses;
import io.scaleout.common.runtime.ServiceContext;
import io.scaleout.common.session.SessionAddresses;
import io.scaleout.gateway.GatewayConfig;
import io.scaleout.gateway.auth.Authenticator;
import io.scaleout.gateway.auth.SessionCache;
import io.scaleout.gateway.auth.SessionCookies;
import io.scaleout.gateway.ping.PingHandler;
import io.scaleout.gateway.route.BusForwarder;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Consumer;

/** One event loop's share of the public port: the route table of the gateway. */
public final class HttpServerVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(HttpServerVerticle.class);

  private final ServiceContext service;
  private final GatewayConfig config;
  private final SessionCache sessions;
  private final Consumer<HttpServer> started;

  public HttpServerVerticle(ServiceContext service, GatewayConfig config, SessionCache sessions, Consumer<HttpServer> started) {
    this.service = service;
    this.config = config;
    this.sessions = sessions;
    this.started = started;
  }

  @Override
  public Future<?> start() {
    PingHandler ping = new PingHandler(service.busClient(), service.node().instanceId());
    BusForwarder forward = new BusForwarder(service.busClient());
    Handler<RoutingContext> json = JsonBody.limitedTo(config.jsonBodyLimit());
    Authenticator auth = new Authenticator(service.busClient(), sessions);
    SessionCookies cookies = new SessionCookies(config.cookieSecure(), sessions);

    Router router = Router.router(vertx);
    router.route().handler(RequestIdHandler::handle);
    router.route().handler(AccessLog::handle);
    router.get("/api/ping").handler(ping::handle);

    router.get("/api/products").handler(forward.to(Service.CATALOG, CatalogAddresses.PRODUCTS_LIST));
    router.post("/api/products").handler(json).handler(auth.admin()).handler(forward.to(Service.CATALOG, CatalogAddresses.PRODUCT_CREATE));
    router.get("/api/products/:id").handler(forward.to(Service.CATALOG, CatalogAddresses.PRODUCT_GET));
    router.put("/api/products/:id").handler(json).handler(auth.admin()).handler(forward.to(Service.CATALOG, CatalogAddresses.PRODUCT_UPDATE));
    router.delete("/api/products/:id").handler(auth.admin()).handler(forward.to(Service.CATALOG, CatalogAddresses.PRODUCT_DELETE));
    router.get("/api/categories").handler(forward.to(Service.CATALOG, CatalogAddresses.CATEGORIES_LIST));

    router.post("/api/users").handler(json)
        .handler(forward.to(Service.SESSION, SessionAddresses.REGISTER, config.passwordRouteTimeout(), BusForwarder.ReplyHook.NONE));
    router.post("/api/sessions").handler(json)
        .handler(forward.to(Service.SESSION, SessionAddresses.LOGIN, config.passwordRouteTimeout(), cookies.onLogin()));
    router.get("/api/sessions/current").handler(auth.user()).handler(forward.to(Service.SESSION, SessionAddresses.CURRENT));
    router.delete("/api/sessions/current").handler(auth.user())
        .handler(forward.to(Service.SESSION, SessionAddresses.LOGOUT, cookies.onLogout()));
    router.get("/api/cart").handler(auth.user()).handler(forward.to(Service.SESSION, SessionAddresses.CART_GET));
    router.put("/api/cart/items/:productId").handler(json).handler(auth.user())
        .handler(forward.to(Service.SESSION, SessionAddresses.CART_SET));
    router.delete("/api/cart/items/:productId").handler(auth.user()).handler(forward.to(Service.SESSION, SessionAddresses.CART_REMOVE));
    router.errorHandler(404, this::notFound);
    router.errorHandler(405, ctx -> ProblemResponses.send(ctx, Problem.of(FailureCode.METHOD_NOT_ALLOWED,
        ctx.request().method() + " is not allowed on " + ctx.request().path())));
    router.errorHandler(413, this::payloadTooLarge);
    router.errorHandler(400, ctx -> ProblemResponses.send(ctx, Problem.of(FailureCode.BAD_REQUEST, "Malformed request")));
    router.errorHandler(500, this::internalError);

    return vertx.createHttpServer(new HttpServerOptions().setHost(config.httpHost()).setPort(config.httpPort()))
        .requestHandler(router)
        .listen()
        .onSuccess(started::accept)
        .recover(failure -> Future.failedFuture(new IllegalStateException(
            "Cannot listen on " + config.httpHost() + ":" + config.httpPort() + " (HTTP_PORT): " + failure.getMessage(), failure)));
  }

  private void notFound(RoutingContext ctx) {
    ProblemResponses.send(ctx, Problem.of(FailureCode.NOT_FOUND, "No resource at " + ctx.request().path()));
  }

  /** The rest of the oversized body is never read: close the connection so it cannot be reused mid-body. */
  private void payloadTooLarge(RoutingContext ctx) {
    ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
    ProblemResponses.send(ctx, Problem.of(FailureCode.PAYLOAD_TOO_LARGE, "The body exceeds " + config.jsonBodyLimit() + " bytes"));
  }

  private void internalError(RoutingContext ctx) {
    log.error("Unhandled failure on {} {}", ctx.request().method(), ctx.request().path(), ctx.failure());
    ProblemResponses.send(ctx, Problem.of(FailureCode.INTERNAL, null));
  }
}
