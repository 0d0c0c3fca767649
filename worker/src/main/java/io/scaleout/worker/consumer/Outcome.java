package io.scaleout.worker.consumer;

/** What handling a record came to: done, a transient failure (next retry tier), or dead (DLQ). */
public sealed interface Outcome {
  Outcome DONE = new Done();

  record Done() implements Outcome {
  }

  /** Worth trying again later: the record goes to the next retry tier, or to the DLQ after the last. */
  record Retry(String error) implements Outcome {
  }

  /** Never worth trying again (a record that cannot be parsed, a job that cannot succeed): the DLQ at once. */
  record Dead(String error) implements Outcome {
  }
}
