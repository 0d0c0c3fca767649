package io.scaleout.gateway.ratelimit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.scaleout.common.api.Caller;
import io.scaleout.common.api.ClientNetworks;
import io.scaleout.common.bus.FailureCode;
import io.scaleout.common.bus.Problem;
import io.scaleout.common.redis.BoundedRedis;
import io.scaleout.gateway.auth.Authenticator;
import io.scaleout.gateway.http.ClientAddresses;
import io.scaleout.gateway.http.ProblemResponses;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Token buckets per client (the user when authenticated, else the address) and route class, in
 * Redis ({@link SharedBuckets}: one script round trip per batch of a client's concurrent
 * requests), so every gateway draws on the same budget. Answers carry
 * RateLimit-Limit, -Remaining and -Reset; an empty bucket is a 429 with Retry-After. When Redis
 * fails the gateway decides from local buckets for a while and says so in a metric: it fails
 * open, never closed.
 */
public final class RateLimiter {
  private static final Logger log = LoggerFactory.getLogger(RateLimiter.class);

  /** Route classes with budgets of their own. */
  public enum RouteClass { API, AUTH }

  private final RateLimitConfig config;
  private final SharedBuckets shared;
  private final ClientAddresses clients;
  private final LocalBuckets local = new LocalBuckets();
  private final LongAdder fallbacks = new LongAdder();
  /** [route class][0 allowed, 1 limited] */
  private final Counter[][] decisions = new Counter[RouteClass.values().length][2];
  /** Until when (nanoTime) decisions are local because Redis failed; 0 when Redis is in use. */
  private final AtomicLong localUntil = new AtomicLong();

  public RateLimiter(Vertx vertx, RateLimitConfig config, ClientAddresses clients, MeterRegistry metrics) {
    this.config = config;
    this.clients = clients;
    for (RouteClass routeClass : RouteClass.values()) {
      for (int limited = 0; limited < 2; limited++) {
        decisions[routeClass.ordinal()][limited] = Counter.builder("gateway.ratelimit.decisions")
            .tag("class", routeClass.name().toLowerCase()).tag("decision", limited == 0 ? "allowed" : "limited").register(metrics);
      }
    }
    this.shared = new SharedBuckets(new BoundedRedis(config.redis().client(vertx), config.redis().timeout()));
    FunctionCounter.builder("gateway.ratelimit.local.decisions", fallbacks, LongAdder::sum)
        .description("requests decided by the local fallback buckets while Redis failed").register(metrics);
  }

  public Handler<RoutingContext> limit(RouteClass routeClass) {
    return ctx -> {
      if (!config.enabled()) {
        ctx.next();
        return;
      }
      Caller caller = Authenticator.caller(ctx);
      boolean byUser = routeClass == RouteClass.API && caller.authenticated();
      RateLimitConfig.Budget budget = routeClass == RouteClass.AUTH ? config.auth() : byUser ? config.user() : config.anonymous();
      String client = byUser ? "u:" + caller.userId() : "a:" + ClientNetworks.limitKey(clients.of(ctx.request()));
      String key = config.keyPrefix() + routeClass.name().toLowerCase() + ":" + client;
      decide(key, budget).onComplete(ar -> apply(ctx, routeClass, ar.result()));
    };
  }

  private void apply(RoutingContext ctx, RouteClass routeClass, Decision decision) {
    HttpServerResponse response = ctx.response()
        .putHeader("RateLimit-Limit", Long.toString(decision.limit()))
        .putHeader("RateLimit-Remaining", Long.toString(decision.remaining()))
        .putHeader("RateLimit-Reset", Long.toString(decision.resetSeconds()));
    decisions[routeClass.ordinal()][decision.allowed() ? 0 : 1].increment();
    if (decision.allowed()) {
      ctx.next();
      return;
    }
    response.putHeader(HttpHeaders.RETRY_AFTER, Long.toString(decision.retryAfterSeconds()));
    ProblemResponses.send(ctx, Problem.of(FailureCode.RATE_LIMITED,
        "Too many requests; retry in " + decision.retryAfterSeconds() + " s"));
  }

  /** Never fails: Redis's answer, else the local bucket's. */
  private Future<Decision> decide(String key, RateLimitConfig.Budget budget) {
    long until = localUntil.get();
    if (until != 0 && System.nanoTime() - until < 0) {
      fallbacks.increment();
      return Future.succeededFuture(local.take(key, budget));
    }
    return shared.take(key, budget)
        .onSuccess(decision -> {
          if (localUntil.get() != 0 && localUntil.getAndSet(0) != 0) {
            log.info("Rate limits are shared through Redis again");
          }
        })
        .otherwise(failure -> {
          long previous = localUntil.getAndSet(System.nanoTime() + config.redisRetry().toNanos());
          if (previous == 0) {
            log.warn("Redis cannot keep rate limits ({}); each gateway limits on its own for now", failure.toString());
          }
          fallbacks.increment();
          return local.take(key, budget);
        });
  }
}
