package io.scaleout.worker.consumer;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

class OffsetTrackerTest {
  private static final TopicPartition P0 = new TopicPartition("jobs", 0);
  private static final TopicPartition P1 = new TopicPartition("jobs", 1);
  private final OffsetTracker tracker = new OffsetTracker();

  @Test
  void outOfOrderCompletionNeverCommitsPastAnUnfinishedRecord() {
    for (long offset = 10; offset <= 14; offset++) {
      tracker.started(P0, offset);
    }
    tracker.finished(P0, 11);
    tracker.finished(P0, 12);
    tracker.finished(P0, 14);

    // 10 is still running: committing 11..14 would lose it on a crash
    assertThat(tracker.committable(P0)).hasValue(10);
    tracker.finished(P0, 10);
    assertThat(tracker.committable(P0)).as("up to the one still in flight").hasValue(13);
    tracker.finished(P0, 13);
    assertThat(tracker.committable(P0)).as("everything done: the next offset to read").hasValue(15);
    assertThat(tracker.committable(P0)).as("only when it moves").isEmpty();
    assertThat(tracker.inFlight()).isZero();
  }

  @Test
  void partitionsAreIndependentAndARevokedOneIsForgotten() {
    tracker.started(P0, 5);
    tracker.started(P1, 100);
    tracker.started(P1, 101);
    tracker.finished(P1, 101);

    assertThat(tracker.inFlight()).isEqualTo(2);
    assertThat(tracker.committable(P1)).hasValue(100);
    tracker.revoked(P1);
    assertThat(tracker.inFlight()).isEqualTo(1);
    assertThat(tracker.committable(P1)).isEqualTo(OptionalLong.empty());
    tracker.finished(P0, 5);
    assertThat(tracker.committable(P0)).hasValue(6);
  }
}
