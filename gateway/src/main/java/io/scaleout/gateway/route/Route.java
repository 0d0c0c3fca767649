package io.scaleout.gateway.route;

import io.scaleout.common.api.ApiReply;
import io.scaleout.common.api.ApiRequest;
import io.scaleout.common.api.CallerSeal;
import io.scaleout.common.bus.BusEndpoints;
import io.scaleout.common.bus.FailureCode;
import io.scaleout.common.bus.Problem;
import io.scaleout.common.session.SessionAddresses;
import io.scaleout.gateway.auth.Authenticator;
import io.scaleout.gateway.cache.CacheControl;
import io.scaleout.gateway.cache.CacheInvalidation;
import io.scaleout.gateway.cache.CacheKeys;
import io.scaleout.gateway.cache.CachedReply;
import io.scaleout.gateway.cache.ETags;
import io.scaleout.gateway.cache.ReverseCache;
import io.scaleout.gateway.downstream.Downstream;
import io.scaleout.gateway.downstream.Refusal;
import io.scaleout.gateway.http.AccessLog;
import io.scaleout.gateway.http.ClientAddresses;
import io.scaleout.gateway.http.ProblemResponses;
import io.vertx.core.Future;
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
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * One HTTP route onto a service address. The request becomes an {@link ApiRequest} (path and
 * query parameters, JSON body, If-Match, client address) with the caller in bus headers; the
 * reply's status, ETag, Cache-Control, Location and Vary become the response. Every JSON GET gets
 * an ETag (the service's, else a hash of the body) and If-None-Match is answered 304. A route
 * marked {@link #cached} keeps replies the service allows shared caches to keep, and answers from
 * the stale copy while the service is refused or failing. A route with a step {@link #beforeReply}
 * answers a success only once that step is done: a route marked {@link #invalidates} drops the
 * tagged entries on every gateway first.
 */
public final class Route implements Handler<RoutingContext> {
  public static final String X_CACHE = "X-Cache";

  private final Downstream downstream;
  private final ReverseCache cache;
  private final CacheInvalidation invalidation;
  private final ClientAddresses clients;
  private final CallerSeal callers;
  private final String address;
  private Duration timeout;
  private RequestHook before = RequestHook.NONE;
  private ReplyHook hook = ReplyHook.NONE;
  private Function<RoutingContext, List<String>> cacheTags;
  private Function<RoutingContext, Future<Void>> beforeReply;
  private Function<RoutingContext, Object> bodySource = Route::body;
  private BiConsumer<RoutingContext, Throwable> onFailure = (ctx, failure) -> { };

  Route(Downstream downstream, ReverseCache cache, CacheInvalidation invalidation, ClientAddresses clients, CallerSeal callers,
        String address, Duration timeout) {
    this.downstream = downstream;
    this.cache = cache;
    this.invalidation = invalidation;
    this.clients = clients;
    this.callers = callers;
    this.address = address;
    this.timeout = timeout;
  }

  /** Something a route adds to the request it sends (e.g. the hash of a session token it made). */
  @FunctionalInterface
  public interface RequestHook {
    RequestHook NONE = (ctx, options) -> { };

    void beforeSend(RoutingContext ctx, DeliveryOptions options);
  }

  /** Something a route does with a successful reply before it is written (e.g. set a cookie). */
  @FunctionalInterface
  public interface ReplyHook {
    ReplyHook NONE = (ctx, reply) -> { };

    void beforeWrite(RoutingContext ctx, Message<Object> reply);
  }

  /** A longer (or shorter) budget than the default, e.g. for routes that wait on password hashing. */
  public Route timeout(Duration timeout) {
    this.timeout = timeout;
    return this;
  }

  public Route before(RequestHook before) {
    this.before = before;
    return this;
  }

  public Route hook(ReplyHook hook) {
    this.hook = hook;
    return this;
  }

  /** The request body sent to the service comes from an earlier handler (e.g. a stored upload's job). */
  public Route bodyFrom(Function<RoutingContext, Object> source) {
    this.bodySource = source;
    return this;
  }

  /**
   * Something a route does, before the error is answered, when the call failed (refused, answered
   * with an error, timed out), e.g. drop what it was for once it is sure the service did not take it.
   */
  public Route onFailure(BiConsumer<RoutingContext, Throwable> action) {
    this.onFailure = action;
    return this;
  }

  /** GET replies may be kept in the reverse cache, tagged with what they depend on. */
  public Route cached(Function<RoutingContext, List<String>> tags) {
    this.cacheTags = tags;
    return this;
  }

  /** A successful reply drops the entries with these tags, on every gateway before it is answered. */
  public Route invalidates(Function<RoutingContext, List<String>> tags) {
    return beforeReply(ctx -> invalidation.everywhere(tags.apply(ctx)));
  }

  /**
   * Something done after the service succeeded and before its reply is written, e.g. what every
   * gateway must have done by the time the client can send its next request; its failure does
   * not fail the reply.
   */
  public Route beforeReply(Function<RoutingContext, Future<Void>> step) {
    this.beforeReply = step;
    return this;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Object body;
    try {
      body = bodySource.apply(ctx);
    } catch (DecodeException e) {
      ProblemResponses.send(ctx, new Problem(FailureCode.BAD_REQUEST, "The body is not valid JSON",
          new JsonObject().put("field", "body")));
      return;
    }
    boolean get = ctx.request().method() == HttpMethod.GET;
    boolean cacheable = get && cacheTags != null && cache.enabled();
    String base = cacheable ? CacheKeys.base(ctx.request()) : null;
    String key = cacheable ? CacheKeys.withVary(base, cache.varyOf(base), ctx.request()) : null;
    CachedReply cached = cacheable ? cache.get(key) : null;
    if (cached != null && cached.fresh(System.nanoTime())) {
      cache.count(ReverseCache.Result.HIT);
      writeCached(ctx, cached, ReverseCache.Result.HIT);
      return;
    }
    DeliveryOptions options = callers.sign(Authenticator.caller(ctx), address, new DeliveryOptions());
    before.beforeSend(ctx, options);
    if (hook == ReplyHook.NONE) {
      // nothing here reads the reply: let it come as the JSON text to write out
      options.addHeader(BusEndpoints.ENCODED_REPLY_HEADER, "1");
    }
    long fetchedAt = cacheable ? cache.generation() : 0;
    downstream.call(address, request(ctx, body).toJson(), options, timeout, get).onComplete(ar -> {
      if (ar.failed()) {
        failed(ctx, ar.cause(), cacheable ? cache.get(key) : null);
        return;
      }
      Message<Object> reply = ar.result();
      ctx.put(AccessLog.UPSTREAM, reply.headers().get(BusEndpoints.INSTANCE_HEADER));
      if (beforeReply != null && ApiReply.status(reply.headers()) < 300) {
        beforeReply.apply(ctx).onComplete(done -> succeeded(ctx, reply, null));
        return;
      }
      if (cacheable) {
        cache.count(ReverseCache.Result.MISS);
        ctx.response().putHeader(X_CACHE, ReverseCache.Result.MISS.name());
      }
      succeeded(ctx, reply, cacheable ? new CacheSlot(base, key, fetchedAt) : null);
    });
  }

  private void succeeded(RoutingContext ctx, Message<Object> reply, CacheSlot slot) {
    hook.beforeWrite(ctx, reply);
    respond(ctx, reply, slot);
  }

  /** Where a fetched reply may be kept, and the cache generation when the fetch started. */
  private record CacheSlot(String base, String key, long fetchedAt) {
  }

  private void failed(RoutingContext ctx, Throwable failure, CachedReply stale) {
    onFailure.accept(ctx, failure);
    if (stale != null && (failure instanceof Refusal || Downstream.isServiceFault(failure))) {
      cache.count(ReverseCache.Result.STALE);
      writeCached(ctx, stale, ReverseCache.Result.STALE);
      return;
    }
    if (failure instanceof Refusal refusal) {
      ctx.response().putHeader(HttpHeaders.RETRY_AFTER, Long.toString(refusal.retryAfterSeconds()));
      ProblemResponses.send(ctx, refusal.problem());
      return;
    }
    ProblemResponses.send(ctx, Problem.fromFailure(failure, downstream.service().id()));
  }

  private void writeCached(RoutingContext ctx, CachedReply cached, ReverseCache.Result result) {
    HttpServerResponse response = ctx.response()
        .putHeader(X_CACHE, result.name())
        .putHeader(HttpHeaders.ETAG, cached.etag())
        .putHeader(HttpHeaders.AGE, Long.toString(cached.ageSeconds(System.nanoTime())));
    if (cached.cacheControl() != null) {
      response.putHeader(HttpHeaders.CACHE_CONTROL, cached.cacheControl());
    }
    if (ETags.matches(ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH), cached.etag())) {
      response.setStatusCode(304).end();
      return;
    }
    response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(cached.body());
  }

  private void respond(RoutingContext ctx, Message<Object> reply, CacheSlot slot) {
    HttpServerResponse response = ctx.response();
    MultiMap headers = reply.headers();
    for (String name : ApiReply.FORWARDED) {
      String value = headers.get(name);
      if (value != null) {
        response.putHeader(name, value);
      }
    }
    int status = ApiReply.status(headers);
    response.setStatusCode(status);
    if (reply.body() == null) {
      response.end();
      return;
    }
    Buffer json = reply.body() instanceof Buffer encoded ? encoded : Buffer.buffer(Json.encode(reply.body()));
    if (ctx.request().method() == HttpMethod.GET && status == 200) {
      String etag = headers.get(ApiReply.ETAG);
      if (etag == null) {
        etag = ETags.of(json);
        response.putHeader(HttpHeaders.ETAG, etag);
      }
      if (slot != null) {
        keep(ctx, slot, json, etag, headers);
      }
      if (ETags.matches(ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH), etag)) {
        response.setStatusCode(304).end();
        return;
      }
    }
    response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(json);
  }

  /** Keeps the reply if the service lets shared caches keep it. */
  private void keep(RoutingContext ctx, CacheSlot slot, Buffer json, String etag, MultiMap headers) {
    String cacheControl = headers.get(ApiReply.CACHE_CONTROL);
    long maxAge = CacheControl.sharedMaxAgeSeconds(cacheControl);
    List<String> vary = CacheKeys.varyNames(headers.get(ApiReply.VARY));
    if (maxAge <= 0 || vary == null) {
      return;
    }
    String key = vary.equals(cache.varyOf(slot.base)) ? slot.key : CacheKeys.withVary(slot.base, vary, ctx.request());
    cache.put(slot.base, vary, key, json, etag, cacheControl, maxAge, cacheTags.apply(ctx), slot.fetchedAt);
  }

  private ApiRequest request(RoutingContext ctx, Object body) {
    JsonObject headers = new JsonObject();
    String ifMatch = ctx.request().getHeader(HttpHeaders.IF_MATCH);
    if (ifMatch != null) {
      headers.put(ApiRequest.IF_MATCH, ifMatch);
    }
    headers.put(SessionAddresses.CLIENT_ADDRESS, clients.of(ctx.request()));
    return new ApiRequest(new JsonObject(Map.copyOf(ctx.pathParams())), firstValues(ctx.queryParams()), body, headers);
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
