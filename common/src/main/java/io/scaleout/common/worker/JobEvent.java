package io.scaleout.common.worker;

import io.vertx.core.json.JsonObject;

/**
 * A change of a job as published on {@link WorkerAddresses#JOB_EVENTS}: the job's whole visible
 * state, so a subscriber never needs an earlier event to make sense of a later one.
 * {@code updatedAtMillis} orders a job's events and is the resume point of an event stream.
 */
public record JobEvent(String jobId, String owner, String kind, String status, int progress, int attempts,
                       JsonObject result, String error, long updatedAtMillis) {

  public JsonObject toJson() {
    return new JsonObject().put("jobId", jobId).put("owner", owner).put("kind", kind).put("status", status)
        .put("progress", progress).put("attempts", attempts).put("result", result).put("error", error)
        .put("updatedAt", updatedAtMillis);
  }

  public static JobEvent fromJson(JsonObject json) {
    return new JobEvent(json.getString("jobId"), json.getString("owner"), json.getString("kind"), json.getString("status"),
        json.getInteger("progress", 0), json.getInteger("attempts", 0), json.getJsonObject("result"), json.getString("error"),
        json.getLong("updatedAt", 0L));
  }

  /** What an event stream shows the owner: everything but the owner. */
  public JsonObject forOwner() {
    JsonObject json = toJson();
    json.remove("owner");
    return json;
  }
}
