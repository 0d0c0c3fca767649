package io.scaleout.worker.job;

/** A job that failed for a reason that retrying cannot fix (unreadable input, unknown product). */
public final class JobFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public JobFailure(String reason) {
    super(reason, null, false, false);
  }
}
