package io.scaleout.gateway.http;

import io.scaleout.common.observability.RequestId;
import io.vertx.ext.web.RoutingContext;

/**
 * Takes the caller's X-Request-Id (or makes one), binds it to the request's context so bus
 * messages and log lines carry it, and echoes it in the response.
 */
final class RequestIdHandler {
  private RequestIdHandler() {
  }

  static void handle(RoutingContext ctx) {
    String id = RequestId.acceptOrGenerate(ctx.request().getHeader(RequestId.HEADER));
    RequestId.bind(id);
    ctx.response().putHeader(RequestId.HEADER, id);
    ctx.next();
  }
}
