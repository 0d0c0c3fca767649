package io.scaleout.worker.consumer;

import org.junit.jupiter.api.Test;

import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

class OffsetTrackerTest {
  private final OffsetTracker tracker = new OffsetTracker();

  @Test
  void outOfOrderCompletionNeverCommitsPastAnUnfinishedRecord() {
    for (long offset = 10; offset <= 14; offset++) {
      tracker.started(0, offset);
    }
    tracker.finished(0, 11);
    tracker.finished(0, 12);
    tracker.finished(0, 14);

    // 10 is still running: committing 11..14 would lose it on a crash
    assertThat(tracker.committable(0)).hasValue(10);
    tracker.finished(0, 10);
    assertThat(tracker.committable(0)).as("up to the one still in flight").hasValue(13);
    tracker.finished(0, 13);
    assertThat(tracker.committable(0)).as("everything done: the next offset to read").hasValue(15);
    assertThat(tracker.committable(0)).as("only when it moves").isEmpty();
    assertThat(tracker.inFlight()).isZero();
  }

  @Test
  void partitionsAreIndependentAndARevokedOneIsForgotten() {
    tracker.started(0, 5);
    tracker.started(1, 100);
    tracker.started(1, 101);
    tracker.finished(1, 101);

    assertThat(tracker.inFlight()).isEqualTo(2);
    assertThat(tracker.committable(1)).hasValue(100);
    tracker.revoked(1);
    assertThat(tracker.inFlight()).isEqualTo(1);
    assertThat(tracker.committable(1)).isEqualTo(OptionalLong.empty());
    tracker.finished(0, 5);
    assertThat(tracker.committable(0)).hasValue(6);
  }
}
