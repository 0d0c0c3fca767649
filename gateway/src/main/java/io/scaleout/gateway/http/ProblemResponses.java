package io.scaleout.gateway.http;

import io.scaleout.common.bus.FailureCode;
import io.scaleout.common.bus.Problem;
import io.scaleout.common.observability.RequestId;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/** Writes problems as application/problem+json, with Retry-After where the client should wait. */
public final class ProblemResponses {
  /** Seconds a client is asked to wait after a 503 or 429 that names no better figure. */
  private static final String DEFAULT_RETRY_AFTER = "1";

  private ProblemResponses() {
  }

  public static void send(RoutingContext ctx, Problem problem) {
    send(ctx.response(), problem);
  }

  /** The same for a request no router has seen (one the HTTP decoder refused). */
  public static Future<Void> send(HttpServerResponse response, Problem problem) {
    if (response.ended() || response.headWritten()) {
      return Future.succeededFuture();
    }
    String requestId = RequestId.current();
    var body = problem.toJson();
    if (requestId != null) {
      body.put("requestId", requestId);
    }
    if ((problem.code() == FailureCode.UNAVAILABLE || problem.code() == FailureCode.RATE_LIMITED)
        && !response.headers().contains(HttpHeaders.RETRY_AFTER)) {
      // a service that knows how long (the login throttle's back-off) says so in the problem
      Object retryAfter = body.getValue(Problem.RETRY_AFTER);
      response.putHeader(HttpHeaders.RETRY_AFTER, retryAfter instanceof Number seconds && seconds.longValue() > 0
          ? Long.toString(seconds.longValue()) : DEFAULT_RETRY_AFTER);
    }
    return response.setStatusCode(problem.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
        .end(body.toBuffer());
  }

  /** 413: the rest of the body is never read, so the connection is closed rather than reused mid-body. */
  public static void bodyTooLarge(RoutingContext ctx, long limit) {
    ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
    send(ctx, Problem.of(FailureCode.PAYLOAD_TOO_LARGE, "The body exceeds " + limit + " bytes"));
  }
}
