package io.scaleout.gateway.route;

import io.scaleout.common.api.ApiReply;
import io.scaleout.common.api.ApiRequest;
import io.scaleout.common.bus.BusClient;
import io.scaleout.common.bus.BusEndpoints;
import io.scaleout.common.bus.FailureCode;
import io.scaleout.common.bus.Problem;
import io.scaleout.common.bus.Service;
import io.scaleout.common.session.SessionAddresses;
import io.scaleout.gateway.auth.Authenticator;
import io.scaleout.gateway.http.AccessLog;
import io.scaleout.gateway.http.ProblemResponses;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;
import java.util.Map;

/**
 * Maps an HTTP route to a service address: the request becomes an {@link ApiRequest} (path and
 * query parameters, JSON body, If-Match, client address) with the caller in bus headers; the reply's status,
 * ETag, Cache-Control and Location become the response. A GET whose ETag the client already has
 * is answered 304.
 */
public final class BusForwarder {
  private final BusClient bus;

  public BusForwarder(BusClient bus) {
    this.bus = bus;
  }

  /** Something a route does with a successful reply before it is written (e.g. set a cookie). */
  @FunctionalInterface
  public interface ReplyHook {
    ReplyHook NONE = (ctx, reply) -> { };

    void beforeWrite(RoutingContext ctx, Message<Object> reply);
  }

  public Handler<RoutingContext> to(Service service, String address) {
    return to(service, address, ReplyHook.NONE);
  }

  public Handler<RoutingContext> to(Service service, String address, ReplyHook hook) {
    return ctx -> forward(ctx, service, address, hook, null);
  }

  /** A route whose work takes longer than the default bus timeout (password hashing). */
  public Handler<RoutingContext> to(Service service, String address, Duration timeout, ReplyHook hook) {
    return ctx -> forward(ctx, service, address, hook, timeout);
  }

  private void forward(RoutingContext ctx, Service service, String address, ReplyHook hook, Duration timeout) {
    Object body;
    try {
      body = body(ctx);
    } catch (DecodeException e) {
      ProblemResponses.send(ctx, new Problem(FailureCode.BAD_REQUEST, "The body is not valid JSON",
          new JsonObject().put("field", "body")));
      return;
    }
    JsonObject headers = new JsonObject();
    String ifMatch = ctx.request().getHeader(HttpHeaders.IF_MATCH);
    if (ifMatch != null) {
      headers.put(ApiRequest.IF_MATCH, ifMatch);
    }
    headers.put(SessionAddresses.CLIENT_ADDRESS, ctx.request().remoteAddress().hostAddress());
    ApiRequest request = new ApiRequest(new JsonObject(Map.copyOf(ctx.pathParams())), firstValues(ctx.queryParams()), body, headers);
    DeliveryOptions options = Authenticator.caller(ctx).applyTo(new DeliveryOptions());
    if (timeout != null) {
      options.setSendTimeout(timeout.toMillis());
    }
    bus.<Object>request(address, request.toJson(), options).onComplete(ar -> {
      if (ar.succeeded()) {
        ctx.put(AccessLog.UPSTREAM, ar.result().headers().get(BusEndpoints.INSTANCE_HEADER));
        hook.beforeWrite(ctx, ar.result());
        respond(ctx, ar.result());
      } else {
        ProblemResponses.send(ctx, Problem.fromFailure(ar.cause(), service.id()));
      }
    });
  }

  private static void respond(RoutingContext ctx, Message<Object> reply) {
    HttpServerResponse response = ctx.response();
    MultiMap headers = reply.headers();
    for (String name : ApiReply.FORWARDED) {
      String value = headers.get(name);
      if (value != null) {
        response.putHeader(name, value);
      }
    }
    String etag = headers.get(ApiReply.ETAG);
    if (etag != null && ctx.request().method() == HttpMethod.GET && etag.equals(ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH))) {
      response.setStatusCode(304).end();
      return;
    }
    response.setStatusCode(ApiReply.status(headers));
    if (reply.body() == null) {
      response.end();
    } else {
      response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(Buffer.buffer(Json.encode(reply.body())));
    }
  }

  /** The parsed JSON body, or null when the request has none. */
  private static Object body(RoutingContext ctx) {
    Buffer buffer = ctx.body() == null ? null : ctx.body().buffer();
    if (buffer == null || buffer.length() == 0) {
      return null;
    }
    return Json.decodeValue(buffer);
  }

  private static JsonObject firstValues(MultiMap params) {
    JsonObject json = new JsonObject();
    params.names().forEach(name -> json.put(name, params.get(name)));
    return json;
  }
}
