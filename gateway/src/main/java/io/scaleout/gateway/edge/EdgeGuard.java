package io.scaleout.gateway.edge;

import io.scaleout.common.bus.FailureCode;
import io.scaleout.common.bus.Problem;
import io.scaleout.gateway.http.ProblemResponses;
import io.scaleout.gateway.http.RequestBodies;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Bounds what a slow or idle client holds on one HTTP verticle's event loop: its connection counts
 * against the gateway's cap; a connection must deliver a request's complete headers within
 * HTTP_HEADER_TIMEOUT_MS of opening (HTTP_KEEPALIVE_TIMEOUT_MS after its last answer when kept
 * alive), else it is closed (there is no request yet to answer); a request's body must arrive within
 * HTTP_BODY_TIMEOUT_MS of its headers, else 408 and the connection is closed. A slowloris client
 * trickling a header byte by byte, which an idle timeout never catches, is so cut off.
 *
 * <p>Everything here runs on the verticle's event loop: the connection handler, the router's first
 * handler and the timers; the map of connections is this event loop's own.
 */
public final class EdgeGuard {
  private final Vertx vertx;
  private final EdgeLimits limits;
  private final EdgeConfig config;
  private final Map<HttpConnection, Watch> watches = new HashMap<>();

  public EdgeGuard(Vertx vertx, EdgeLimits limits) {
    this.vertx = vertx;
    this.limits = limits;
    this.config = limits.config();
  }

  /** The server's connection handler. */
  public void connected(HttpConnection connection) {
    if (!limits.openConnection()) {
      connection.close();
      return;
    }
    Watch watch = new Watch(connection);
    watches.put(connection, watch);
    connection.closeHandler(v -> {
      watches.remove(connection);
      watch.closed();
      limits.closeConnection();
    });
    watch.awaitHeaders(config.headerTimeout());
  }

  /** The router's first handler: the headers are in; the body, if any, has its deadline. */
  public void handle(RoutingContext ctx) {
    Watch watch = watches.get(ctx.request().connection());
    if (watch != null) {
      watch.requestStarted(ctx);
    }
    ctx.next();
  }

  private void bodyTooSlow(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (request.isEnded()) {
      return;
    }
    limits.bodyTimedOut();
    if (ctx.response().headWritten()) {
      request.connection().close();
      return;
    }
    ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
    ctx.addEndHandler(v -> request.connection().close());
    ProblemResponses.send(ctx, Problem.of(FailureCode.REQUEST_TIMEOUT,
        "The body did not arrive within " + config.bodyTimeout().toMillis() + " ms"));
  }

  /** One connection's deadline for its next request's headers and its count of requests in flight. */
  private final class Watch {
    private final HttpConnection connection;
    private long headerTimer = -1;
    private int inFlight;
    private boolean closed;

    Watch(HttpConnection connection) {
      this.connection = connection;
    }

    void awaitHeaders(Duration within) {
      headerTimer = vertx.setTimer(within.toMillis(), id -> {
        headerTimer = -1;
        limits.headersTimedOut();
        connection.close();
      });
    }

    void requestStarted(RoutingContext ctx) {
      inFlight++;
      cancelHeaderTimer();
      long bodyTimer = RequestBodies.announced(ctx.request()) && !ctx.request().isEnded()
          ? vertx.setTimer(config.bodyTimeout().toMillis(), id -> bodyTooSlow(ctx)) : -1;
      ctx.addEndHandler(v -> {
        vertx.cancelTimer(bodyTimer);
        if (--inFlight == 0 && !closed) {
          awaitHeaders(config.keepAliveTimeout());
        }
      });
    }

    void closed() {
      closed = true;
      cancelHeaderTimer();
    }

    private void cancelHeaderTimer() {
      if (headerTimer >= 0) {
        vertx.cancelTimer(headerTimer);
        headerTimer = -1;
      }
    }
  }
}
