package io.scaleout.worker.job;

import java.util.Locale;

/** Where a job stands. FAILED: a transient failure, waiting in a retry tier; DEAD: dead-lettered. */
public enum JobStatus {
  QUEUED, RUNNING, SUCCEEDED, FAILED, DEAD;

  public String dbValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static JobStatus fromDb(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }

  /** No more work will happen unless an operator replays it. */
  public boolean finished() {
    return this == SUCCEEDED || this == DEAD;
  }
}
