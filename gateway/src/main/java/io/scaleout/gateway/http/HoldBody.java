package io.scaleout.gateway.http;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Identity and rate limits are decided asynchronously before a route reads its body, so a request
 * that announces a body is paused until the route's body handler resumes it. Should no handler
 * read it (an error answered first), it is resumed once the response is written, so the rest of
 * the body is drained and the connection stays usable.
 */
final class HoldBody {
  private HoldBody() {
  }

  static void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (RequestBodies.announced(request)) {
      request.pause();
      ctx.addBodyEndHandler(v -> {
        if (!request.isEnded()) {
          request.resume();
        }
      });
    }
    ctx.next();
  }
}
