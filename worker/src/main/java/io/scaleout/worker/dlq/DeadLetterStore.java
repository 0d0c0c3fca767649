package io.scaleout.worker.dlq;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The dead letters in the worker's database: recorded from the DLQ topic, listed, replayed, discarded. */
public final class DeadLetterStore {
  private final Pool pool;

  public DeadLetterStore(Pool pool) {
    this.pool = pool;
  }

  /** What the DLQ topic delivered; a record delivered again is the same dead letter. */
  public record Arrival(String topic, int partition, long offset, UUID jobId, String key, String value, String failedTopic,
                        String reason, int attempts, Instant failedAt) {
  }

  /** True when it is new; false when this record was recorded before (delivered again). */
  public Future<Boolean> record(Arrival a) {
    return pool.preparedQuery(DeadLetterQueries.RECORD).execute(Tuple.from(new Object[] {
        a.topic(), a.partition(), a.offset(), a.jobId(), a.key(), a.value(), a.failedTopic(), a.reason(), a.attempts(),
        a.failedAt().atOffset(ZoneOffset.UTC)})).map(rows -> rows.rowCount() == 1);
  }

  public Future<List<DeadLetter>> list(int limit, boolean includeHandled) {
    return pool.preparedQuery(includeHandled ? DeadLetterQueries.LIST_ALL : DeadLetterQueries.LIST_PENDING)
        .execute(Tuple.of(limit)).map(rows -> {
          List<DeadLetter> letters = new ArrayList<>();
          rows.forEach(row -> letters.add(DeadLetter.fromRow(row)));
          return letters;
        });
  }

  public Future<Long> countPending() {
    return pool.preparedQuery(DeadLetterQueries.COUNT_PENDING).execute().map(rows -> rows.iterator().next().getLong(0));
  }

  public Future<Optional<DeadLetter>> get(long id) {
    return one(DeadLetterQueries.GET, Tuple.of(id));
  }

  /** Empty when it is not pending (already replayed or discarded). */
  public Future<Optional<DeadLetter>> markReplayed(long id, String by) {
    return one(DeadLetterQueries.MARK_REPLAYED, Tuple.of(id, by));
  }

  public Future<Void> unmarkReplayed(long id) {
    return pool.preparedQuery(DeadLetterQueries.UNMARK_REPLAYED).execute(Tuple.of(id)).mapEmpty();
  }

  public Future<Optional<DeadLetter>> markDiscarded(long id, String by) {
    return one(DeadLetterQueries.MARK_DISCARDED, Tuple.of(id, by));
  }

  private Future<Optional<DeadLetter>> one(String sql, Tuple arguments) {
    return pool.preparedQuery(sql).execute(arguments).map(DeadLetterStore::first);
  }

  private static Optional<DeadLetter> first(RowSet<Row> rows) {
    return rows.iterator().hasNext() ? Optional.of(DeadLetter.fromRow(rows.iterator().next())) : Optional.empty();
  }
}
