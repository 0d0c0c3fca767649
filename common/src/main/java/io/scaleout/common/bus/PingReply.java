package io.scaleout.common.bus;

import io.vertx.core.json.JsonObject;

/** Reply to a ping: which instance (and which cluster node) of a service answered. */
public record PingReply(String service, String instance, String node) {

  public JsonObject toJson() {
    return new JsonObject().put("service", service).put("instance", instance).put("node", node);
  }

  public static PingReply fromJson(JsonObject json) {
    if (json == null || json.getString("instance") == null) {
      throw new IllegalArgumentException("ping reply without an instance: " + json);
    }
    return new PingReply(json.getString("service"), json.getString("instance"), json.getString("node"));
  }
}
