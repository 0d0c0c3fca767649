package io.scaleout.common.api;

import io.vertx.core.json.JsonObject;

/**
 * An HTTP request as the gateway forwards it over the event bus: path parameters, query
 * parameters (first value of each), the JSON body (or null) and the few request headers a service
 * acts on (If-Match). Who the caller is travels separately, in {@link Caller} headers.
 */
public record ApiRequest(JsonObject path, JsonObject query, Object body, JsonObject headers) {
  public static final String IF_MATCH = "if-match";

  public ApiRequest {
    path = path == null ? new JsonObject() : path;
    query = query == null ? new JsonObject() : query;
    headers = headers == null ? new JsonObject() : headers;
  }

  public String pathParam(String name) {
    return path.getString(name);
  }

  /** A query parameter, or null when absent. */
  public String queryParam(String name) {
    return query.getString(name);
  }

  /** A forwarded request header by lower-case name, or null. */
  public String header(String name) {
    return headers.getString(name);
  }

  public JsonObject toJson() {
    return new JsonObject().put("path", path).put("query", query).put("body", body).put("headers", headers);
  }

  public static ApiRequest fromJson(JsonObject json) {
    if (json == null) {
      return new ApiRequest(null, null, null, null);
    }
    return new ApiRequest(json.getJsonObject("path"), json.getJsonObject("query"), json.getValue("body"),
        json.getJsonObject("headers"));
  }
}
