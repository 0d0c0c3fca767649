package io.scaleout.common.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.instance.impl.HazelcastInstanceProxy;
import com.hazelcast.internal.partition.InternalPartitionService;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Leaves when a Hazelcast partition of this node stays marked as migrating for CLUSTER_MIGRATION_STUCK_MS.
 * A migration takes milliseconds here, but one whose coordinator (the master) froze or died while it
 * ran can leave the mark behind for good: on the local cluster, after a SIGSTOPped master, a gateway
 * and a catalog instance each kept one such partition for over half an hour, answered every
 * operation on it with "Partition is migrating!", and so no new member could join (each start hung
 * two minutes registering its event-bus handlers, then failed) while every member reported ready.
 * Once this node is gone its partitions go to their backups and the cluster works again; the runtime
 * exits with status 3 to be started afresh.
 *
 * <p>Reads Hazelcast's internal partition table (no public API tells a partition's migrating mark);
 * these are plain reads of local state, so it runs on the event loop of the context that starts it.
 */
public final class PartitionWatch {
  private static final Logger log = LoggerFactory.getLogger(PartitionWatch.class);

  private final Vertx vertx;
  private final HazelcastClusterManager cluster;
  private final Duration interval;
  private final Duration stuckAfter;
  /** partition id → when it was first seen migrating in an unbroken run of checks (nanoTime) */
  private final Map<Integer, Long> migratingSince = new HashMap<>();
  private volatile int migrating;
  private Runnable leave = () -> { };
  private boolean left;
  private long timer = -1;

  public PartitionWatch(Vertx vertx, HazelcastClusterManager cluster, Duration interval, Duration stuckAfter,
                        MeterRegistry metrics) {
    this.vertx = vertx;
    this.cluster = cluster;
    this.interval = interval;
    this.stuckAfter = stuckAfter;
    Gauge.builder("cluster.partitions.migrating", this, w -> w.migrating)
        .description("partitions of this node marked as migrating").register(metrics);
  }

  /** What to do when a partition has been stuck: once only. */
  public void onLeave(Runnable action) {
    this.leave = action;
  }

  /** Starts checking; a zero CLUSTER_MIGRATION_STUCK_MS checks nothing. */
  public void start() {
    if (!stuckAfter.isZero()) {
      timer = vertx.setPeriodic(interval.toMillis(), id -> check());
    }
  }

  public void stop() {
    vertx.cancelTimer(timer);
  }

  private void check() {
    HazelcastInstance hazelcast = cluster.getHazelcastInstance();
    if (left || !cluster.isActive() || !(hazelcast instanceof HazelcastInstanceProxy proxy)) {
      return;
    }
    InternalPartitionService partitions = proxy.getOriginal().node.getPartitionService();
    long now = System.nanoTime();
    TreeSet<Integer> stuck = new TreeSet<>();
    int count = 0;
    for (int id = 0; id < partitions.getPartitionCount(); id++) {
      if (!partitions.getPartition(id, false).isMigrating()) {
        migratingSince.remove(id);
        continue;
      }
      count++;
      long since = migratingSince.computeIfAbsent(id, key -> now);
      if (now - since >= stuckAfter.toNanos()) {
        stuck.add(id);
      }
    }
    migrating = count;
    if (!stuck.isEmpty()) {
      left = true;
      log.warn("Leaving: partitions {} of this node have been migrating for {} ms or more (CLUSTER_MIGRATION_STUCK_MS);"
          + " the migration that marked them cannot finish, and operations on them fail until this node is gone",
          stuck, stuckAfter.toMillis());
      leave.run();
    }
  }
}
