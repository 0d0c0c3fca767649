package io.scaleout.gateway.http;

import io.scaleout.common.bus.FailureCode;
import io.scaleout.common.bus.Problem;
import io.scaleout.common.bus.Service;
import io.scaleout.common.catalog.CatalogAddresses;
import io.scaleout.common.runtime.ServiceContext;
import io.scaleout.common.session.SessionAddresses;
import io.scaleout.common.worker.WorkerAddresses;
import io.scaleout.gateway.GatewayConfig;
import io.scaleout.gateway.GatewayParts;
import io.scaleout.gateway.admin.ClusterViewHandler;
import io.scaleout.gateway.auth.Authenticator;
import io.scaleout.gateway.auth.SessionCookies;
import io.scaleout.gateway.cache.CatalogTags;
import io.scaleout.gateway.edge.EdgeGuard;
import io.scaleout.gateway.events.EventStreamHandler;
import io.scaleout.gateway.ops.OpsViewHandler;
import io.scaleout.gateway.ping.PingHandler;
import io.scaleout.gateway.ratelimit.RateLimiter.RouteClass;
import io.scaleout.gateway.route.BusForwarder;
import io.scaleout.gateway.route.Route;
import io.scaleout.gateway.storefront.StorefrontHandler;
import io.scaleout.gateway.upload.JobUploads;
import io.scaleout.gateway.web.StaticFiles;
import io.scaleout.gateway.web.WorkspaceFiles;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Consumer;

/** One event loop's share of the public port: the route table of the gateway. */
public final class HttpServerVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(HttpServerVerticle.class);

  private final ServiceContext service;
  private final GatewayParts parts;
  private final Consumer<HttpServer> started;

  public HttpServerVerticle(ServiceContext service, GatewayParts parts, Consumer<HttpServer> started) {
    this.service = service;
    this.parts = parts;
    this.started = started;
  }

  @Override
  public Future<?> start() {
    GatewayConfig config = parts.config();
    PingHandler ping = new PingHandler(parts.downstreams(), config.downstream().routeTimeout(), service.node().instanceId());
    BusForwarder forward = new BusForwarder(parts.downstreams(), parts.cache(), parts.invalidation(), parts.clients(),
        service.callerSeal(), config.downstream().routeTimeout());
    Handler<RoutingContext> json = JsonBody.limitedTo(config.http().jsonBodyLimit(), parts.edge());
    EdgeGuard edge = new EdgeGuard(vertx, parts.edge());
    Authenticator auth = new Authenticator(service.busClient(), parts.sessions(), parts.sessionLookups(), parts.clients(),
        service.clusterMac());
    SessionCookies cookies = new SessionCookies(config.cookieSecure());
    StorefrontHandler storefront = new StorefrontHandler(parts.downstreams(), service.callerSeal(), config.storefrontFeatured(),
        config.storefrontSectionTimeout());
    ClusterViewHandler clusterView = new ClusterViewHandler(service, parts.downstreams(), parts.cache());
    OpsViewHandler opsView = new OpsViewHandler(service, parts.downstreams(), config.opsSnapshotTimeout());
    JobUploads uploads = new JobUploads(vertx.fileSystem(), config.workspace(), config.uploads());
    Route submitJob = forward.to(Service.WORKER, WorkerAddresses.JOB_SUBMIT).bodyFrom(JobUploads::submission)
        .timeout(config.uploads().submitTimeout()).onFailure(uploads::submissionFailed);
    WorkspaceFiles files = new WorkspaceFiles(vertx.fileSystem(), config.workspace());
    EventStreamHandler events = new EventStreamHandler(vertx, parts.eventStreams(), parts.downstreams().of(Service.WORKER),
        parts.downstreams().of(Service.SESSION), service.callerSeal(),
        config.events(), config.downstream().routeTimeout());

    Router router = Router.router(vertx);
    router.route().handler(edge::handle);
    router.route().handler(RequestIdHandler::handle);
    router.route().handler(AccessLog::handle);
    router.route().handler(parts.routeStats()::handle);
    router.route().handler(QueryEncoding::handle);
    router.route("/api/*").handler(HoldBody::handle).handler(auth.optional()).handler(parts.rateLimiter().limit(RouteClass.API));
    router.get("/api/ping").handler(ping::handle);

    router.get("/api/products").handler(forward.to(Service.CATALOG, CatalogAddresses.PRODUCTS_LIST).cached(CatalogTags::lists));
    router.post("/api/products").handler(auth.admin()).handler(json)
        .handler(forward.to(Service.CATALOG, CatalogAddresses.PRODUCT_CREATE).invalidates(CatalogTags::lists));
    router.get("/api/products/:id").handler(forward.to(Service.CATALOG, CatalogAddresses.PRODUCT_GET).cached(CatalogTags::product));
    router.put("/api/products/:id").handler(auth.admin()).handler(json)
        .handler(forward.to(Service.CATALOG, CatalogAddresses.PRODUCT_UPDATE).invalidates(CatalogTags::productAndLists));
    router.delete("/api/products/:id").handler(auth.admin())
        .handler(forward.to(Service.CATALOG, CatalogAddresses.PRODUCT_DELETE).invalidates(CatalogTags::productAndLists));
    router.get("/api/categories").handler(forward.to(Service.CATALOG, CatalogAddresses.CATEGORIES_LIST).cached(CatalogTags::lists));
    router.get("/api/catalog/facets").handler(forward.to(Service.WORKER, WorkerAddresses.CATALOG_FACETS).cached(CatalogTags::lists));
    router.get("/api/storefront").handler(storefront::handle);

    router.post("/api/users").handler(parts.rateLimiter().limit(RouteClass.AUTH)).handler(json)
        .handler(forward.to(Service.SESSION, SessionAddresses.REGISTER).timeout(config.passwordRouteTimeout()));
    router.post("/api/sessions").handler(parts.rateLimiter().limit(RouteClass.AUTH)).handler(json)
        .handler(forward.to(Service.SESSION, SessionAddresses.LOGIN).timeout(config.passwordRouteTimeout()).before(cookies.newSession()).hook(cookies.onLogin()));
    router.get("/api/sessions/current").handler(auth.user()).handler(forward.to(Service.SESSION, SessionAddresses.CURRENT));
    router.delete("/api/sessions/current").handler(auth.user())
        .handler(forward.to(Service.SESSION, SessionAddresses.LOGOUT).beforeReply(parts.sessionEnds()::ofCaller).hook(cookies.onLogout()));
    router.get("/api/cart").handler(auth.user()).handler(forward.to(Service.SESSION, SessionAddresses.CART_GET));
    router.put("/api/cart/items/:productId").handler(auth.user()).handler(json)
        .handler(forward.to(Service.SESSION, SessionAddresses.CART_SET));
    router.delete("/api/cart/items/:productId").handler(auth.user()).handler(forward.to(Service.SESSION, SessionAddresses.CART_REMOVE));

    router.post("/api/products/:id/image").handler(auth.admin()).handler(uploads::image).handler(submitJob);
    router.post("/api/imports").handler(auth.admin()).handler(uploads::importFile).handler(submitJob);
    router.get("/api/jobs/:id").handler(auth.user()).handler(forward.to(Service.WORKER, WorkerAddresses.JOB_GET));
    router.get("/api/events").handler(auth.user()).handler(events::handle);
    router.get("/api/admin/dlq").handler(auth.admin()).handler(forward.to(Service.WORKER, WorkerAddresses.DLQ_LIST));
    router.post("/api/admin/dlq/:id/replay").handler(auth.admin()).handler(forward.to(Service.WORKER, WorkerAddresses.DLQ_REPLAY));
    router.delete("/api/admin/dlq/:id").handler(auth.admin()).handler(forward.to(Service.WORKER, WorkerAddresses.DLQ_DISCARD));
    router.get("/api/admin/cluster").handler(auth.admin()).handler(clusterView::handle);
    router.get("/api/admin/ops").handler(auth.admin()).handler(opsView::handle);
    router.get("/files/:name").handler(files::handle);
    router.getWithRegex("^/(?!api(/|$)).*").handler(StaticFiles.handler(config.http().webRoot()));

    router.errorHandler(404, this::notFound);
    router.errorHandler(405, ctx -> ProblemResponses.send(ctx, Problem.of(FailureCode.METHOD_NOT_ALLOWED,
        ctx.request().method() + " is not allowed on " + ctx.request().path())));
    router.errorHandler(413, this::payloadTooLarge);
    router.errorHandler(400, ctx -> ProblemResponses.send(ctx, Problem.of(FailureCode.BAD_REQUEST, "Malformed request")));
    router.errorHandler(500, this::internalError);

    return vertx.createHttpServer(HttpOptions.of(config.http(), config.edge()))
        .connectionHandler(edge::connected)
        .requestHandler(router)
        .invalidRequestHandler(new InvalidRequests(config.http()))
        .listen()
        .onSuccess(started::accept)
        .recover(failure -> Future.failedFuture(new IllegalStateException(
            "Cannot listen on " + config.http().host() + ":" + config.http().port() + " (HTTP_PORT): " + failure.getMessage(), failure)));
  }

  private void notFound(RoutingContext ctx) {
    ProblemResponses.send(ctx, Problem.of(FailureCode.NOT_FOUND, "No resource at " + ctx.request().path()));
  }

  private void payloadTooLarge(RoutingContext ctx) {
    ProblemResponses.bodyTooLarge(ctx, parts.config().http().jsonBodyLimit());
  }

  private void internalError(RoutingContext ctx) {
    log.error("Unhandled failure on {} {}", ctx.request().method(), ctx.request().path(), ctx.failure());
    ProblemResponses.send(ctx, Problem.of(FailureCode.INTERNAL, null));
  }
}
