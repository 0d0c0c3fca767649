package io.scaleout.gateway.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Every answer this gateway gives, by route class: {@code gateway.http.responses{class,status}}
 * (status 2xx..5xx) and the latency {@code gateway.http.latency{class}} in fixed buckets, so the
 * operations view can make request rates and p50/p99 over any interval and over every gateway by
 * adding bucket counts. Event streams are counted but not timed: they last as long as the client stays.
 */
public final class RouteStats {
  /** What a request is, as the operations view groups them. */
  public enum RouteClass {
    CATALOG_READ, CATALOG_WRITE, ACCOUNT, CART, JOBS, EVENTS, WEB, OTHER;

    String tag() {
      return name().toLowerCase().replace('_', '-');
    }
  }

  private static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
      Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200),
      Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5)};
  private static final String[] STATUS_CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};

  private final Map<RouteClass, Timer> latency = new EnumMap<>(RouteClass.class);
  private final Map<RouteClass, Counter[]> responses = new EnumMap<>(RouteClass.class);

  public RouteStats(MeterRegistry metrics) {
    for (RouteClass routeClass : RouteClass.values()) {
      latency.put(routeClass, Timer.builder("gateway.http.latency").tag("class", routeClass.tag())
          .serviceLevelObjectives(BUCKETS).description("time to the end of the answer, by route class").register(metrics));
      Counter[] byStatus = new Counter[STATUS_CLASSES.length];
      for (int i = 0; i < STATUS_CLASSES.length; i++) {
        byStatus[i] = Counter.builder("gateway.http.responses").tag("class", routeClass.tag()).tag("status", STATUS_CLASSES[i])
            .register(metrics);
      }
      responses.put(routeClass, byStatus);
    }
  }

  /** A router handler: counts and times the request once its answer has ended. */
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    RouteClass routeClass = classify(ctx.request().method(), ctx.request().path());
    ctx.addEndHandler(ended -> {
      int status = ctx.response().getStatusCode();
      responses.get(routeClass)[Math.max(0, Math.min(4, status / 100 - 1))].increment();
      if (routeClass != RouteClass.EVENTS) {
        latency.get(routeClass).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
      }
    });
    ctx.next();
  }

  static RouteClass classify(HttpMethod method, String path) {
    if (path == null) {
      return RouteClass.OTHER;
    }
    boolean read = method == HttpMethod.GET || method == HttpMethod.HEAD;
    if (path.startsWith("/api/products")) {
      return path.endsWith("/image") ? RouteClass.JOBS : read ? RouteClass.CATALOG_READ : RouteClass.CATALOG_WRITE;
    }
    if (path.startsWith("/api/categories") || path.startsWith("/api/catalog/") || path.equals("/api/storefront")) {
      return RouteClass.CATALOG_READ;
    }
    if (path.startsWith("/api/users") || path.startsWith("/api/sessions")) {
      return RouteClass.ACCOUNT;
    }
    if (path.startsWith("/api/cart")) {
      return RouteClass.CART;
    }
    if (path.startsWith("/api/jobs") || path.startsWith("/api/imports") || path.startsWith("/api/admin/dlq")) {
      return RouteClass.JOBS;
    }
    if (path.equals("/api/events")) {
      return RouteClass.EVENTS;
    }
    return path.startsWith("/api/") ? RouteClass.OTHER : RouteClass.WEB;
  }
}
