package io.scaleout.common.api;

import io.vertx.core.MultiMap;

/**
 * A service's reply to an {@link ApiRequest}: the JSON body plus the HTTP status and the response
 * headers the gateway passes on (ETag, Cache-Control, Location, Vary), carried as event-bus headers.
 */
public record ApiReply(Object body, MultiMap headers) {
  public static final String STATUS = "status";
  public static final String ETAG = "ETag";
  public static final String CACHE_CONTROL = "Cache-Control";
  public static final String LOCATION = "Location";
  public static final String VARY = "Vary";
  /** Response headers a gateway copies from a reply. */
  public static final String[] FORWARDED = {ETAG, CACHE_CONTROL, LOCATION, VARY};

  public static ApiReply ok(Object body) {
    return new ApiReply(body, MultiMap.caseInsensitiveMultiMap());
  }

  public static ApiReply created(Object body, String location) {
    return ok(body).header(STATUS, "201").header(LOCATION, location);
  }

  public static ApiReply noContent() {
    return ok(null).header(STATUS, "204");
  }

  public ApiReply header(String name, String value) {
    headers.set(name, value);
    return this;
  }

  public ApiReply etag(String etag) {
    return header(ETAG, etag);
  }

  public ApiReply cacheControl(String value) {
    return header(CACHE_CONTROL, value);
  }

  /** The HTTP status the reply stands for (200 unless set). */
  public static int status(MultiMap headers) {
    String status = headers.get(STATUS);
    return status == null ? 200 : Integer.parseInt(status);
  }
}
