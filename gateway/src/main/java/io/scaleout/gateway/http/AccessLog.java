package io.scaleout.gateway.http;

import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * One JSON line per request on the logger {@code access}: method, path, status, duration, bytes
 * sent, the instance of the service that answered (the request id comes with every line) and
 * whether the connection closed before the response ended — an event stream's usual end, or a
 * client that gave up.
 */
public final class AccessLog {
  /** Routing-context key under which a route records the service instance that answered. */
  public static final String UPSTREAM = "access.upstream";
  private static final Logger log = LoggerFactory.getLogger("access");

  private AccessLog() {
  }

  static void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    ctx.addEndHandler(ended -> log.info("{} {} {}", kv("method", ctx.request().method().name()),
        kv("path", ctx.request().path()), kv("status", ctx.response().getStatusCode()),
        kv("durationMs", (System.nanoTime() - start) / 1_000_000.0), kv("bytes", ctx.response().bytesWritten()),
        kv("upstream", ctx.get(UPSTREAM)), kv("aborted", ended.failed())));
    ctx.next();
  }
}
