package io.scaleout.gateway.http;

import io.scaleout.common.bus.FailureCode;
import io.scaleout.common.bus.Problem;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/** Reads a JSON body up to a byte limit (413 beyond it) and refuses other media types (415). */
public final class JsonBody {
  private JsonBody() {
  }

  public static Handler<RoutingContext> limitedTo(long maxBytes) {
    BodyHandler body = BodyHandler.create(false).setBodyLimit(maxBytes);
    return ctx -> {
      String type = ctx.request().getHeader("Content-Type");
      boolean hasBody = ctx.request().headers().contains("Content-Length") || ctx.request().headers().contains("Transfer-Encoding");
      if (hasBody && (type == null || !type.toLowerCase().startsWith("application/json"))) {
        ProblemResponses.send(ctx, Problem.of(FailureCode.UNSUPPORTED_MEDIA_TYPE, "Send the body as application/json"));
        return;
      }
      body.handle(ctx);
    };
  }
}
