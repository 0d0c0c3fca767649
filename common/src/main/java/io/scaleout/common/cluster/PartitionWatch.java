package io.scaleout.common.cluster;

import com.hazelcast.cluster.Address;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.instance.impl.HazelcastInstanceProxy;
import com.hazelcast.instance.impl.Node;
import com.hazelcast.internal.partition.MigrationInfo;
import com.hazelcast.internal.partition.impl.InternalPartitionServiceImpl;
import io.micrometer.core.instrument.Counter;
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
 * Clears a Hazelcast partition's migrating mark that no migration will ever clear. A migration
 * takes milliseconds here, but one whose master froze or died while it ran (or whose other end was
 * dropped) can leave the mark behind for good: on the local cluster, after a SIGSTOPped master, a
 * gateway and a catalog instance each kept one such partition for over half an hour and answered
 * every operation on it with "Partition is migrating!", so no new member could join (each start
 * hung two minutes registering its event-bus handlers, then failed) while every member reported
 * ready; the mark also stops Hazelcast's anti-entropy task from repairing the partition's backups.
 * Leaving instead (the first remedy tried) took three members out at once, both gateways among
 * them, since a lost member strands marks on several. A mark is stale when it has been set for
 * CLUSTER_MIGRATION_STUCK_MS without a break and no migration of the current master holds it.
 *
 * <p>Reads and clears Hazelcast's internal partition state (no public API exposes the mark); these
 * are plain reads and a flag write of local state, so it runs on the event loop of the context
 * that starts it.
 */
public final class PartitionWatch {
  private static final Logger log = LoggerFactory.getLogger(PartitionWatch.class);

  private final Vertx vertx;
  private final HazelcastClusterManager cluster;
  private final Duration interval;
  private final Duration stuckAfter;
  private final Counter cleared;
  /** partition id → when it was first seen migrating in an unbroken run of checks (nanoTime) */
  private final Map<Integer, Long> migratingSince = new HashMap<>();
  private volatile int migrating;
  private long timer = -1;

  public PartitionWatch(Vertx vertx, HazelcastClusterManager cluster, Duration interval, Duration stuckAfter,
                        MeterRegistry metrics) {
    this.vertx = vertx;
    this.cluster = cluster;
    this.interval = interval;
    this.stuckAfter = stuckAfter;
    Gauge.builder("cluster.partitions.migrating", this, w -> w.migrating)
        .description("partitions of this node marked as migrating").register(metrics);
    this.cleared = Counter.builder("cluster.partitions.stale.cleared")
        .description("stale migrating marks this node cleared").register(metrics);
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

  /** No migration holds the mark, or only one of a master that is no longer the master. */
  private static boolean orphaned(MigrationInfo active, Address master) {
    return active == null || !active.getMaster().equals(master);
  }

  private void check() {
    HazelcastInstance hazelcast = cluster.getHazelcastInstance();
    if (!cluster.isActive() || !(hazelcast instanceof HazelcastInstanceProxy proxy)) {
      return;
    }
    Node node = proxy.getOriginal().node;
    InternalPartitionServiceImpl partitions = (InternalPartitionServiceImpl) node.getPartitionService();
    Address master = node.getMasterAddress();
    long now = System.nanoTime();
    TreeSet<Integer> stale = new TreeSet<>();
    int count = 0;
    for (int id = 0; id < partitions.getPartitionCount(); id++) {
      if (!partitions.getPartition(id, false).isMigrating()) {
        migratingSince.remove(id);
        continue;
      }
      count++;
      long since = migratingSince.computeIfAbsent(id, key -> now);
      if (now - since >= stuckAfter.toNanos() && orphaned(partitions.getMigrationManager().getActiveMigration(id), master)) {
        stale.add(id);
      }
    }
    migrating = count;
    if (!stale.isEmpty()) {
      stale.forEach(id -> {
        partitions.getPartitionStateManager().clearMigratingFlag(id);
        migratingSince.remove(id);
      });
      cleared.increment(stale.size());
      log.warn("Cleared the migrating mark of partitions {}: set for {} ms or more (CLUSTER_MIGRATION_STUCK_MS) with no"
          + " migration of the master {} to finish it; operations on them failed meanwhile", stale, stuckAfter.toMillis(), master);
    }
  }
}
