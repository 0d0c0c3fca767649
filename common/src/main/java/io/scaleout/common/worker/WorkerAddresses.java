package io.scaleout.common.worker;

/**
 * Event-bus addresses the worker serves. Request-reply: an ApiRequest in, an ApiReply out; the
 * caller travels in the bus headers set by the gateway.
 */
public final class WorkerAddresses {
  /** → [{category, count, minPriceCents, maxPriceCents}]: the read model the worker keeps from catalog events. */
  public static final String CATALOG_FACETS = "worker.catalog.facets";
  /** Path: id → the job record; only for its owner or an administrator (404 for anyone else). */
  public static final String JOB_GET = "worker.jobs.get";
  /**
   * Body: {@link JobSubmission} (its input already in the {@link Workspace}) → 202 {jobId}. Idempotent
   * per job id: a repeated submission answers the same job without queueing it twice.
   */
  public static final String JOB_SUBMIT = "worker.jobs.submit";
  /**
   * Query: since (epoch millis, optional) → [{@link JobEvent}]: the caller's open jobs and those
   * changed after {@code since}; what a reconnecting event stream is sent first.
   */
  public static final String JOBS_OF_CALLER = "worker.jobs.of-caller";
  /** Publish: a {@link JobEvent} on every status or progress change, for the gateways' event streams. */
  public static final String JOB_EVENTS = "worker.jobs.events";
  /** Admin. Query: limit, includeDiscarded → [dead letter]. */
  public static final String DLQ_LIST = "worker.dlq.list";
  /** Admin. Path: id → the job queued again on the main topic with its attempts reset. */
  public static final String DLQ_REPLAY = "worker.dlq.replay";
  /** Admin. Path: id → 204; the dead letter is kept, marked discarded (by whom, when). */
  public static final String DLQ_DISCARD = "worker.dlq.discard";

  private WorkerAddresses() {
  }
}
