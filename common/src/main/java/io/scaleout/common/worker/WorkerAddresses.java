package io.scaleout.common.worker;

/** Event-bus addresses the worker serves. Request-reply: an ApiRequest in, an ApiReply out. */
public final class WorkerAddresses {
  /** → [{category, count, minPriceCents, maxPriceCents}]: the read model the worker keeps from catalog events. */
  public static final String CATALOG_FACETS = "worker.catalog.facets";
  /** Path: id → the job record; only for its owner or an administrator (404 for anyone else). */
  public static final String JOB_GET = "worker.jobs.get";

  private WorkerAddresses() {
  }
}
