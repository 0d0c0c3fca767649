package io.scaleout.worker.job;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Does the work of one kind of job. Runs again after a crash or a transient failure, so it must be
 * idempotent: a second run leaves the same effects as the first. A failed future is a transient
 * failure (retried), unless it is a {@link JobFailure} marked permanent (dead-lettered at once).
 */
@FunctionalInterface
public interface JobHandler {
  /** What a running job may report while it works. */
  @FunctionalInterface
  interface Progress {
    /** Percent done, 0..100; notices are thinned out, so call it as often as is convenient. */
    void report(int percent);
  }

  /** The job's result, stored with its record and shown to its owner. */
  Future<JsonObject> run(Job job, Progress progress);

  /** Once the job is recorded as succeeded: drop what only a rerun would need (its upload). */
  default Future<Void> cleanUp(Job job) {
    return Future.succeededFuture();
  }
}
