package io.scaleout.gateway.http;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.scaleout.common.bus.FailureCode;
import io.scaleout.common.bus.Problem;
import io.scaleout.gateway.web.HttpConfig;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;

/**
 * Requests the HTTP decoder refused before any route saw them: a request line or a header block
 * beyond the listener's limits (414, 431), or one that is not HTTP (400). They are answered as
 * problems like every other refusal, then the connection is closed: what follows on it cannot be
 * trusted to start a request.
 */
final class InvalidRequests implements Handler<HttpServerRequest> {
  private final HttpConfig http;

  InvalidRequests(HttpConfig http) {
    this.http = http;
  }

  @Override
  public void handle(HttpServerRequest request) {
    ProblemResponses.send(request.response(), problem(request.decoderResult().cause()))
        .onComplete(written -> request.connection().close());
  }

  private Problem problem(Throwable cause) {
    if (cause instanceof TooLongHttpLineException) {
      return Problem.of(FailureCode.URI_TOO_LONG, "The request line exceeds " + http.maxRequestLine() + " bytes");
    }
    if (cause instanceof TooLongHttpHeaderException) {
      return Problem.of(FailureCode.HEADER_FIELDS_TOO_LARGE, "The request headers exceed " + http.maxHeaderSize() + " bytes");
    }
    return Problem.of(FailureCode.BAD_REQUEST, "The request is not valid HTTP");
  }
}
