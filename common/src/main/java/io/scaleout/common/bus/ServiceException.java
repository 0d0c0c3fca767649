package io.scaleout.common.bus;

import io.vertx.core.json.JsonObject;

/**
 * A failure a service handler reports on purpose; {@link BusEndpoints} turns it into a reply
 * failure carrying the code and the problem detail (and extension members such as {@code field}).
 */
public final class ServiceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final FailureCode code;
  private final transient JsonObject extensions;

  public ServiceException(FailureCode code, String detail) {
    this(code, detail, new JsonObject());
  }

  public ServiceException(FailureCode code, String detail, JsonObject extensions) {
    super(detail, null, false, false);
    this.code = code;
    this.extensions = extensions;
  }

  /** A 400 naming the offending field. */
  public static ServiceException badField(String field, String detail) {
    return new ServiceException(FailureCode.BAD_REQUEST, detail, new JsonObject().put("field", field));
  }

  /** The same detail and extensions under another code (e.g. a 409 that names a field). */
  public ServiceException withCode(FailureCode other) {
    return new ServiceException(other, getMessage(), extensions);
  }

  public FailureCode code() {
    return code;
  }

  public JsonObject extensions() {
    return extensions;
  }
}
