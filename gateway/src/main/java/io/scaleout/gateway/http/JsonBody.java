package io.scaleout.gateway.http;

import io.scaleout.common.bus.FailureCode;
import io.scaleout.common.bus.Problem;
import io.scaleout.gateway.edge.EdgeLimits;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Reads a JSON body up to a byte limit (413 beyond it) and refuses other media types (415). A body
 * is read into memory only once the gateway's body budget has room for it (its Content-Length, or
 * the limit when chunked), else 503 at once: hundreds of clients sending large bodies slowly cannot
 * fill the heap.
 */
public final class JsonBody {
  private JsonBody() {
  }

  public static Handler<RoutingContext> limitedTo(long maxBytes, EdgeLimits budget) {
    BodyHandler body = BodyHandler.create(false).setBodyLimit(maxBytes);
    return ctx -> {
      String type = ctx.request().getHeader("Content-Type");
      boolean hasBody = RequestBodies.announced(ctx.request());
      if (hasBody && (type == null || !type.toLowerCase().startsWith("application/json"))) {
        ProblemResponses.send(ctx, Problem.of(FailureCode.UNSUPPORTED_MEDIA_TYPE, "Send the body as application/json"));
        return;
      }
      if (hasBody) {
        long room = Math.min(maxBytes, announcedLength(ctx.request().getHeader("Content-Length"), maxBytes));
        if (!budget.reserveBody(room)) {
          ProblemResponses.send(ctx, Problem.of(FailureCode.UNAVAILABLE,
              "The gateway is reading as many request bodies as it can hold; retry shortly"));
          return;
        }
        ctx.addEndHandler(v -> budget.releaseBody(room));
      }
      body.handle(ctx);
    };
  }

  /** The Content-Length, or {@code otherwise} when absent (chunked) or not a number (the decoder refuses those). */
  private static long announcedLength(String header, long otherwise) {
    try {
      return header == null ? otherwise : Math.max(0, Long.parseLong(header.trim()));
    } catch (NumberFormatException e) {
      return otherwise;
    }
  }
}
