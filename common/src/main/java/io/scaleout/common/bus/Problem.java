package io.scaleout.common.bus;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * An RFC 9457 problem. Services send its detail and extensions as the failure message of a reply;
 * the gateway rebuilds it from the {@link ReplyException} and writes it as application/problem+json.
 */
public record Problem(FailureCode code, String detail, JsonObject extensions) {
  public static final String MEDIA_TYPE = "application/problem+json";
  /** Extension member of a 429 or 503: seconds the client should wait (the gateway's Retry-After). */
  public static final String RETRY_AFTER = "retryAfter";

  public static Problem of(FailureCode code, String detail) {
    return new Problem(code, detail, new JsonObject());
  }

  public int status() {
    return code.status();
  }

  public JsonObject toJson() {
    JsonObject json = extensions.copy()
        .put("type", code.type())
        .put("title", code.title())
        .put("status", code.status());
    if (detail != null) {
      json.put("detail", detail);
    }
    return json;
  }

  /** The failure message a service replies with: the detail plus extension members, as JSON. */
  public String toFailureMessage() {
    JsonObject json = extensions.copy();
    if (detail != null) {
      json.put("detail", detail);
    }
    return json.encode();
  }

  /**
   * The problem a failed bus request stands for: the service's own failure, a timeout (504), or
   * no instance serving the address (503).
   */
  public static Problem fromFailure(Throwable failure, String service) {
    if (failure instanceof ServiceException se) {
      return new Problem(se.code(), se.getMessage(), se.extensions());
    }
    if (!(failure instanceof ReplyException reply)) {
      return of(FailureCode.INTERNAL, "Unexpected failure calling " + service);
    }
    switch (reply.failureType()) {
      case TIMEOUT:
        return of(FailureCode.TIMEOUT, service + " did not answer in time");
      case NO_HANDLERS:
        return of(FailureCode.UNAVAILABLE, "No " + service + " instance is available");
      case RECIPIENT_FAILURE:
        return fromRecipientFailure(reply, service);
      default:
        return of(FailureCode.UNAVAILABLE, service + " could not be reached");
    }
  }

  private static Problem fromRecipientFailure(ReplyException reply, String service) {
    FailureCode code = FailureCode.of(reply.failureCode());
    String message = reply.getMessage();
    if (message != null && message.startsWith("{")) {
      try {
        JsonObject json = new JsonObject(message);
        String detail = (String) json.remove("detail");
        return new Problem(code, detail, json);
      } catch (DecodeException | ClassCastException ignored) {
        // not one of ours: fall through and keep the text as the detail
      }
    }
    return new Problem(code, code == FailureCode.INTERNAL ? service + " failed" : message, new JsonObject());
  }
}
