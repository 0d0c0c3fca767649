package io.scaleout.worker.dlq;

/** Every SQL statement of the dead letters; all prepared. */
final class DeadLetterQueries {
  private static final String COLUMNS = "id, topic, kafka_partition, kafka_offset, job_id, record_key, record_value, "
      + "failed_topic, reason, attempts, failed_at, recorded_at, replayed_at, replayed_by, discarded_at, discarded_by";

  /** At least once: a record recorded before (its offset and failure time) is left as it is. */
  static final String RECORD = "INSERT INTO dead_letters (topic, kafka_partition, kafka_offset, job_id, record_key, "
      + "record_value, failed_topic, reason, attempts, failed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
      + "ON CONFLICT (topic, kafka_partition, kafka_offset, failed_at) DO NOTHING";

  static final String LIST_PENDING = "SELECT " + COLUMNS + " FROM dead_letters "
      + "WHERE replayed_at IS NULL AND discarded_at IS NULL ORDER BY id DESC LIMIT $1";

  static final String LIST_ALL = "SELECT " + COLUMNS + " FROM dead_letters ORDER BY id DESC LIMIT $1";

  static final String COUNT_PENDING = "SELECT count(*) FROM dead_letters WHERE replayed_at IS NULL AND discarded_at IS NULL";

  static final String GET = "SELECT " + COLUMNS + " FROM dead_letters WHERE id = $1";

  /** Only a pending dead letter is replayed or discarded, once. */
  static final String MARK_REPLAYED = "UPDATE dead_letters SET replayed_at = now(), replayed_by = $2 "
      + "WHERE id = $1 AND replayed_at IS NULL AND discarded_at IS NULL RETURNING " + COLUMNS;

  static final String MARK_DISCARDED = "UPDATE dead_letters SET discarded_at = now(), discarded_by = $2 "
      + "WHERE id = $1 AND replayed_at IS NULL AND discarded_at IS NULL RETURNING " + COLUMNS;

  /** A replay that could not be queued is pending again. */
  static final String UNMARK_REPLAYED = "UPDATE dead_letters SET replayed_at = NULL, replayed_by = NULL WHERE id = $1";

  private DeadLetterQueries() {
  }
}
