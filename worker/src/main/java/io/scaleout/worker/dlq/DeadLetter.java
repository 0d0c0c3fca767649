package io.scaleout.worker.dlq;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A record of the dead-letter topic as an operator sees it. */
public record DeadLetter(long id, String topic, int partition, long offset, UUID jobId, String key, String value,
                         String failedTopic, String reason, int attempts, OffsetDateTime failedAt, OffsetDateTime recordedAt,
                         OffsetDateTime replayedAt, String replayedBy, OffsetDateTime discardedAt, String discardedBy) {

  static DeadLetter fromRow(Row row) {
    return new DeadLetter(row.getLong("id"), row.getString("topic"), row.getInteger("kafka_partition"),
        row.getLong("kafka_offset"), row.getUUID("job_id"), row.getString("record_key"), row.getString("record_value"),
        row.getString("failed_topic"), row.getString("reason"), row.getInteger("attempts"), row.getOffsetDateTime("failed_at"),
        row.getOffsetDateTime("recorded_at"), row.getOffsetDateTime("replayed_at"), row.getString("replayed_by"),
        row.getOffsetDateTime("discarded_at"), row.getString("discarded_by"));
  }

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("topic", topic).put("partition", partition).put("offset", offset)
        .put("jobId", jobId == null ? null : jobId.toString()).put("key", key)
        // a garbage record is shown as it came, cut short
        .put("value", value.length() <= 2000 ? value : value.substring(0, 2000) + "…")
        .put("failedTopic", failedTopic).put("reason", reason).put("attempts", attempts)
        .put("failedAt", text(failedAt)).put("recordedAt", text(recordedAt))
        .put("replayedAt", text(replayedAt)).put("replayedBy", replayedBy)
        .put("discardedAt", text(discardedAt)).put("discardedBy", discardedBy);
  }

  private static String text(OffsetDateTime time) {
    return time == null ? null : time.toInstant().toString();
  }
}
