package io.scaleout.worker.consumer;

import java.time.Duration;
import java.util.List;

/**
 * The topics a job travels through: the main topic, retry tiers each with its delay, and the
 * dead-letter topic. A record failing in the main topic goes to the first tier, failing there to
 * the next, and after the last to the DLQ.
 *
 * @param main  the topic new jobs arrive on
 * @param tiers retry tiers, shortest delay first
 * @param dlq   the dead-letter topic
 */
public record RetryTiers(String main, List<Tier> tiers, String dlq) {
  /** A retry topic and how long after its record was written it is taken up. */
  public record Tier(String topic, Duration delay) {
  }

  /** Every topic this consumer reads. */
  public List<String> consumed() {
    return java.util.stream.Stream.concat(java.util.stream.Stream.of(main), tiers.stream().map(Tier::topic)).toList();
  }

  /** Where a record of {@code topic} goes after a transient failure. */
  public String nextAfter(String topic) {
    if (topic.equals(main)) {
      return tiers.isEmpty() ? dlq : tiers.get(0).topic();
    }
    for (int i = 0; i < tiers.size(); i++) {
      if (tiers.get(i).topic().equals(topic)) {
        return i + 1 < tiers.size() ? tiers.get(i + 1).topic() : dlq;
      }
    }
    return dlq;
  }

  /** How long a record of {@code topic} waits after it was written (zero for the main topic). */
  public Duration delayOf(String topic) {
    return tiers.stream().filter(t -> t.topic().equals(topic)).map(Tier::delay).findFirst().orElse(Duration.ZERO);
  }
}
