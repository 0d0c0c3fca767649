package io.scaleout.worker.job;

/** Every SQL statement of the worker's job records; all prepared. */
final class JobQueries {
  private static final String COLUMNS =
      "id, kind, owner, status, attempts, unfinished_attempts, progress, payload, result, error, created_at, updated_at, finished_at";

  /** Idempotent: a job already recorded (a redelivered request) is left as it is and not returned. */
  static final String INSERT = "INSERT INTO jobs (id, kind, owner, status, payload) VALUES ($1, $2, $3, 'queued', $4) "
      + "ON CONFLICT (id) DO NOTHING RETURNING " + COLUMNS;

  static final String GET = "SELECT " + COLUMNS + " FROM jobs WHERE id = $1";

  /**
   * Nothing back: the job is finished (succeeded or dead) and must not run again. A job found still
   * running is a redelivery after its worker died mid-attempt: one more unfinished attempt in a row.
   */
  static final String START_ATTEMPT = "UPDATE jobs SET status = 'running', attempts = attempts + 1, error = NULL, "
      + "unfinished_attempts = CASE WHEN status = 'running' THEN unfinished_attempts + 1 ELSE 0 END, "
      + "updated_at = now() WHERE id = $1 AND status NOT IN ('succeeded', 'dead') RETURNING " + COLUMNS;

  /** Progress only moves forward, and only while running. */
  static final String PROGRESS = "UPDATE jobs SET progress = $2, updated_at = now() "
      + "WHERE id = $1 AND status = 'running' AND progress < $2 RETURNING " + COLUMNS;

  static final String SUCCEED = "UPDATE jobs SET status = 'succeeded', progress = 100, result = $2, error = NULL, "
      + "updated_at = now(), finished_at = now() WHERE id = $1 AND status = 'running' RETURNING " + COLUMNS;

  static final String FAIL = "UPDATE jobs SET status = 'failed', error = $2, updated_at = now() "
      + "WHERE id = $1 AND status = 'running' RETURNING " + COLUMNS;

  static final String DEAD = "UPDATE jobs SET status = 'dead', error = $2, updated_at = now(), finished_at = now() "
      + "WHERE id = $1 AND status <> 'succeeded' RETURNING " + COLUMNS;

  /** A replayed dead letter starts over. */
  static final String REQUEUE = "UPDATE jobs SET status = 'queued', attempts = 0, progress = 0, error = NULL, result = NULL, "
      + "updated_at = now(), finished_at = NULL WHERE id = $1 AND status = 'dead' RETURNING " + COLUMNS;

  /** A submission whose record could not be queued in Kafka is forgotten (the caller got an error). */
  static final String FORGET_QUEUED = "DELETE FROM jobs WHERE id = $1 AND status = 'queued'";

  /** What a reconnecting event stream is sent: open jobs, and those changed since its last event. */
  static final String OF_OWNER_SINCE = "SELECT " + COLUMNS + " FROM jobs WHERE owner = $1 "
      + "AND (status IN ('queued', 'running', 'failed') OR updated_at > $2) ORDER BY updated_at LIMIT 200";

  /** Which of these ids name a job (of any status). */
  static final String EXISTING = "SELECT id FROM jobs WHERE id = ANY($1)";

  private JobQueries() {
  }
}
