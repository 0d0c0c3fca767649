package io.scaleout.common.bus;

/**
 * Failure codes a service replies with ({@code message.fail(code, ...)}); the code is the HTTP status
 * the gateway answers with, and {@code slug} makes the stable problem type.
 */
public enum FailureCode {
  BAD_REQUEST(400, "bad-request", "Bad request"),
  UNAUTHORIZED(401, "unauthorized", "Authentication required"),
  FORBIDDEN(403, "forbidden", "Forbidden"),
  NOT_FOUND(404, "not-found", "Not found"),
  METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method not allowed"),
  REQUEST_TIMEOUT(408, "request-timeout", "Request timeout"),
  CONFLICT(409, "conflict", "Conflict"),
  PRECONDITION_FAILED(412, "precondition-failed", "Precondition failed"),
  PAYLOAD_TOO_LARGE(413, "payload-too-large", "Payload too large"),
  URI_TOO_LONG(414, "uri-too-long", "URI too long"),
  UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "Unsupported media type"),
  PRECONDITION_REQUIRED(428, "precondition-required", "Precondition required"),
  RATE_LIMITED(429, "rate-limited", "Too many requests"),
  HEADER_FIELDS_TOO_LARGE(431, "header-fields-too-large", "Request header fields too large"),
  INTERNAL(500, "internal", "Internal error"),
  UNAVAILABLE(503, "service-unavailable", "Service unavailable"),
  TIMEOUT(504, "downstream-timeout", "Downstream timeout");

  private final int status;
  private final String slug;
  private final String title;

  FailureCode(int status, String slug, String title) {
    this.status = status;
    this.slug = slug;
    this.title = title;
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  /** Stable problem type URI (RFC 9457). */
  public String type() {
    return "urn:scaleout:problem:" + slug;
  }

  /** Whether {@code failure} is a service's answer with this code (not a timeout or an unreachable instance). */
  public boolean answered(Throwable failure) {
    return failure instanceof io.vertx.core.eventbus.ReplyException reply
        && reply.failureType() == io.vertx.core.eventbus.ReplyFailure.RECIPIENT_FAILURE && reply.failureCode() == status;
  }

  /** The code for a failure code received on the bus; anything unknown is an internal error. */
  public static FailureCode of(int code) {
    for (FailureCode c : values()) {
      if (c.status == code) {
        return c;
      }
    }
    return INTERNAL;
  }
}
