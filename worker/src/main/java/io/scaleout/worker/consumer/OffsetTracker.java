package io.scaleout.worker.consumer;

import org.apache.kafka.common.TopicPartition;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * Which offsets of each partition may be committed when records finish out of order: only up to
 * the lowest record still in flight, never past it, so that a crash re-delivers every record that
 * had not finished (at least once). Used from the consumer's thread only.
 */
public final class OffsetTracker {
  private static final class PartitionState {
    final TreeSet<Long> inFlight = new TreeSet<>();
    /** The offset after the highest record seen; what to commit when nothing is in flight. */
    long next = -1;
    /** What was last handed out for committing, to commit only when it moves. */
    long committed = -1;
  }

  private final Map<TopicPartition, PartitionState> partitions = new HashMap<>();

  /** A record was handed to a handler. */
  public void started(TopicPartition partition, long offset) {
    PartitionState state = partitions.computeIfAbsent(partition, p -> new PartitionState());
    state.inFlight.add(offset);
    state.next = Math.max(state.next, offset + 1);
  }

  /** A record's handling ended (done, retried elsewhere or dead-lettered: in every case handled). */
  public void finished(TopicPartition partition, long offset) {
    PartitionState state = partitions.get(partition);
    if (state != null) {
      state.inFlight.remove(offset);
    }
  }

  /** The offset to commit for the partition if it moved since the last call (Kafka commits "next to read"). */
  public OptionalLong committable(TopicPartition partition) {
    PartitionState state = partitions.get(partition);
    if (state == null || state.next < 0) {
      return OptionalLong.empty();
    }
    long upTo = state.inFlight.isEmpty() ? state.next : state.inFlight.first();
    if (upTo <= state.committed) {
      return OptionalLong.empty();
    }
    state.committed = upTo;
    return OptionalLong.of(upTo);
  }

  public List<TopicPartition> partitions() {
    return List.copyOf(partitions.keySet());
  }

  /** Records in flight over all partitions: what backpressure counts. */
  public int inFlight() {
    int count = 0;
    for (PartitionState state : partitions.values()) {
      count += state.inFlight.size();
    }
    return count;
  }

  /** The partition left this consumer (rebalance): its records in flight are someone else's now. */
  public void revoked(TopicPartition partition) {
    partitions.remove(partition);
  }
}
