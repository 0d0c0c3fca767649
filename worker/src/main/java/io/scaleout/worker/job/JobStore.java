package io.scaleout.worker.job;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The job records in the worker's own database. Every transition is one conditional UPDATE, so
 * repeated deliveries of a record (at least once) cannot move a finished job backwards: an attempt
 * on a succeeded job finds nothing to start and is skipped.
 */
public final class JobStore {
  private final Pool pool;

  public JobStore(Pool pool) {
    this.pool = pool;
  }

  /** Records a new queued job; empty when a job with this id exists already. */
  public Future<Optional<Job>> create(UUID id, String kind, String owner, JsonObject payload) {
    return one(JobQueries.INSERT, Tuple.of(id, kind, owner, payload));
  }

  public Future<Optional<Job>> get(UUID id) {
    return one(JobQueries.GET, Tuple.of(id));
  }

  /** Marks an attempt running; empty when the job is finished (or unknown) and must be skipped. */
  public Future<Optional<Job>> startAttempt(UUID id) {
    return one(JobQueries.START_ATTEMPT, Tuple.of(id));
  }

  public Future<Optional<Job>> progress(UUID id, int percent) {
    return one(JobQueries.PROGRESS, Tuple.of(id, Math.max(0, Math.min(100, percent))));
  }

  public Future<Optional<Job>> succeed(UUID id, JsonObject result) {
    return one(JobQueries.SUCCEED, Tuple.of(id, result));
  }

  /** A transient failure: the job waits in a retry tier. */
  public Future<Optional<Job>> fail(UUID id, String error) {
    return one(JobQueries.FAIL, Tuple.of(id, error));
  }

  public Future<Optional<Job>> dead(UUID id, String error) {
    return one(JobQueries.DEAD, Tuple.of(id, error));
  }

  /** A dead job replayed by an operator: queued again with its attempts reset. */
  public Future<Optional<Job>> requeue(UUID id) {
    return one(JobQueries.REQUEUE, Tuple.of(id));
  }

  /** Drops a queued job that never reached Kafka. */
  /** The ids among these that name a job record. */
  public Future<Set<UUID>> existing(Collection<UUID> ids) {
    return pool.preparedQuery(JobQueries.EXISTING).execute(Tuple.of(ids.toArray(new UUID[0]))).map(rows -> {
      Set<UUID> found = new HashSet<>();
      rows.forEach(row -> found.add(row.getUUID("id")));
      return found;
    });
  }

  public Future<Void> forgetQueued(UUID id) {
    return pool.preparedQuery(JobQueries.FORGET_QUEUED).execute(Tuple.of(id)).mapEmpty();
  }

  /** The owner's open jobs and those changed after {@code since}, oldest change first. */
  public Future<List<Job>> ofOwnerSince(String owner, Instant since) {
    return pool.preparedQuery(JobQueries.OF_OWNER_SINCE).execute(Tuple.of(owner, since.atOffset(ZoneOffset.UTC))).map(rows -> {
      List<Job> jobs = new ArrayList<>();
      rows.forEach(row -> jobs.add(Job.fromRow(row)));
      return jobs;
    });
  }

  private Future<Optional<Job>> one(String sql, Tuple arguments) {
    return pool.preparedQuery(sql).execute(arguments).map(JobStore::first);
  }

  private static Optional<Job> first(RowSet<Row> rows) {
    return rows.iterator().hasNext() ? Optional.of(Job.fromRow(rows.iterator().next())) : Optional.empty();
  }
}
