package io.scaleout.worker.job;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.util.Optional;
import java.util.UUID;

/** The record of a job on the job topics: {@code {"jobId": "<uuid>"}}, keyed by the job id. */
public final class JobRecords {
  private JobRecords() {
  }

  public static String value(UUID jobId) {
    return new JsonObject().put("jobId", jobId.toString()).encode();
  }

  /** The job a record names; empty for a record that is not a job's. */
  public static Optional<UUID> jobId(String value) {
    try {
      String id = value == null ? null : new JsonObject(value).getString("jobId");
      return id == null || id.length() != 36 ? Optional.empty() : Optional.of(UUID.fromString(id));
    } catch (DecodeException | ClassCastException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
