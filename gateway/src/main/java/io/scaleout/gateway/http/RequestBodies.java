package io.scaleout.gateway.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/** What the gateway's handlers ask of a request's body before they read it. */
public final class RequestBodies {
  private RequestBodies() {
  }

  /** The request announces a body (a Content-Length or a Transfer-Encoding). */
  public static boolean announced(HttpServerRequest request) {
    return request.headers().contains(HttpHeaders.CONTENT_LENGTH) || request.headers().contains(HttpHeaders.TRANSFER_ENCODING);
  }
}
