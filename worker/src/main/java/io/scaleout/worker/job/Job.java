package io.scaleout.worker.job;

import io.scaleout.common.worker.JobEvent;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A job record as stored, and as GET /api/jobs/{id} shows it; {@code unfinishedAttempts} counts the
 * attempts in a row before this one that never ended (their worker died during them).
 */
public record Job(UUID id, String kind, String owner, JobStatus status, int attempts, int unfinishedAttempts, int progress,
                  JsonObject payload,
                  JsonObject result, String error, Instant createdAt, Instant updatedAt, Instant finishedAt) {

  static Job fromRow(Row row) {
    return new Job(row.getUUID("id"), row.getString("kind"), row.getString("owner"), JobStatus.fromDb(row.getString("status")),
        row.getInteger("attempts"), row.getInteger("unfinished_attempts"), row.getInteger("progress"), (JsonObject) row.getJson("payload"),
        (JsonObject) row.getJson("result"), row.getString("error"), instant(row, "created_at"), instant(row, "updated_at"),
        instant(row, "finished_at"));
  }

  private static Instant instant(Row row, String column) {
    OffsetDateTime value = row.getOffsetDateTime(column);
    return value == null ? null : value.toInstant();
  }

  /** The event that tells the job's current state. */
  public JobEvent toEvent() {
    return new JobEvent(id.toString(), owner, kind, status.dbValue(), progress, attempts, result, error, updatedAt.toEpochMilli());
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString()).put("kind", kind).put("owner", owner).put("status", status.dbValue())
        .put("attempts", attempts).put("progress", progress).put("result", result).put("error", error)
        .put("createdAt", createdAt.toString()).put("updatedAt", updatedAt.toString())
        .put("finishedAt", finishedAt == null ? null : finishedAt.toString());
  }
}
