package io.scaleout.common.cluster;

import io.vertx.core.json.JsonObject;

/**
 * Published on {@link #ADDRESS} by every service instance once a second and at once when its state
 * changes, so callers know each instance by name and send to it directly (see
 * {@link io.scaleout.common.bus.InstanceAddresses}) instead of leaving the choice to the bus.
 *
 * @param service  the service the instance belongs to (catalog, session, worker, gateway)
 * @param instance its instance id, the suffix of its instance addresses
 * @param nodeId   its Hazelcast member id: callers forget it when that member leaves
 * @param state    whether it takes new work
 */
public record InstanceAnnouncement(String service, String instance, String nodeId, State state) {
  public static final String ADDRESS = "cluster.instances";

  public enum State {
    /** takes new work */
    READY,
    /** still starting, or outside the main cluster: send it nothing new */
    NOT_READY,
    /** leaving: finishes what it has, takes nothing new */
    DRAINING
  }

  public JsonObject toJson() {
    return new JsonObject().put("service", service).put("instance", instance).put("nodeId", nodeId).put("state", state.name());
  }

  public static InstanceAnnouncement fromJson(JsonObject json) {
    return new InstanceAnnouncement(json.getString("service"), json.getString("instance"), json.getString("nodeId"),
        State.valueOf(json.getString("state")));
  }
}
