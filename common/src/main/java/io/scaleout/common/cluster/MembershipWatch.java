package io.scaleout.common.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.scaleout.common.config.ClusterConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Tells whether this node is in the main cluster. A member that vanished without announcing that
 * it was leaving (a crash, a pause, a cut link) is counted as missing for a while; a node that sees
 * fewer than half of the members it knew (present + missing) is on the minority side of a split,
 * e.g. a node resumed after SIGSTOP into a cluster of one. Such a node reports not ready, so nothing
 * routes work to it. Once it has been so for CLUSTER_MINORITY_EXIT_MS, {@link #onLeave} is told, and
 * the runtime leaves to be restarted afresh before Hazelcast merges it back
 * (CLUSTER_MERGE_DELAY_SECONDS): the local cluster hung in partition migrations twice when a node
 * merged back and left at once. Should it heal first (merged back, or the missing members forgotten
 * after CLUSTER_MISSING_FORGET_MS), it is told too: after a merge, this node's view of the others'
 * event-bus registrations can stay incomplete (its publishes then reach nobody). A graceful leave
 * never counts.
 *
 * <p>Runs on the event loop of the context that starts it; the member list it reads is Hazelcast's
 * local view, so no call blocks.
 */
public final class MembershipWatch {
  private static final Logger log = LoggerFactory.getLogger(MembershipWatch.class);

  private final Vertx vertx;
  private final ClusterManager cluster;
  private final Duration interval;
  private final Duration forgetMissing;
  private final Predicate<String> leftGracefully;
  private final Counter minorityEpisodes;
  /** node id → when it was last seen a member (nanoTime); touched only on the watch's event loop */
  private final Map<String, Long> lastSeen = new HashMap<>();
  private volatile Set<String> present = Set.of();
  private volatile Set<String> missing = Set.of();
  private volatile boolean minority;
  private long timer = -1;
  private final Duration minorityExit;
  private Runnable leave = () -> { };
  /** nanoTime when this node found itself on the minority side; meaningful while {@link #minority} */
  private long minoritySince;
  private boolean left;

  public MembershipWatch(Vertx vertx, ClusterManager cluster, ClusterConfig config, Predicate<String> leftGracefully,
                         MeterRegistry metrics) {
    this.vertx = vertx;
    this.cluster = cluster;
    this.interval = config.watchInterval();
    this.forgetMissing = config.forgetMissing();
    this.minorityExit = config.minorityExit();
    this.leftGracefully = leftGracefully;
    this.minorityEpisodes = Counter.builder("cluster.minority.episodes")
        .description("times this node found itself outside the main cluster").register(metrics);
    Gauge.builder("cluster.members", this, w -> w.present.size()).tag("state", "present").register(metrics);
    Gauge.builder("cluster.members", this, w -> w.missing.size()).tag("state", "missing").register(metrics);
    Gauge.builder("cluster.minority", this, w -> w.minority ? 1 : 0)
        .description("1 while this node sees fewer than half of the members it knew").register(metrics);
  }

  /** What to do when this node cannot trust its place in the cluster any more: once only. */
  public void onLeave(Runnable action) {
    this.leave = action;
  }

  public void start() {
    check();
    timer = vertx.setPeriodic(interval.toMillis(), id -> check());
  }

  public void stop() {
    vertx.cancelTimer(timer);
  }

  public boolean inMinority() {
    return minority;
  }

  public boolean isMember(String nodeId) {
    return present.contains(nodeId);
  }

  /** For readiness and the admin view: present and missing members, and the verdict. */
  public JsonObject toJson() {
    return new JsonObject().put("present", present.size()).put("missing", new JsonArray(List.copyOf(missing)))
        .put("minority", minority);
  }

  private void check() {
    if (!cluster.isActive()) {
      return;
    }
    long now = System.nanoTime();
    Set<String> members = new HashSet<>(cluster.getNodes());
    members.forEach(node -> lastSeen.put(node, now));
    Set<String> gone = new HashSet<>();
    lastSeen.entrySet().removeIf(entry -> {
      String node = entry.getKey();
      if (members.contains(node)) {
        return false;
      }
      if (leftGracefully.test(node) || now - entry.getValue() > forgetMissing.toNanos()) {
        return true;
      }
      gone.add(node);
      return false;
    });
    boolean wasMinority = minority;
    present = Set.copyOf(members);
    missing = Set.copyOf(gone);
    minority = members.size() * 2 < members.size() + gone.size();
    if (minority && !wasMinority) {
      minorityEpisodes.increment();
      minoritySince = now;
      log.warn("Outside the main cluster: {} of {} members present, missing {}; not ready, leaving in {} ms",
          members.size(), members.size() + gone.size(), gone, minorityExit.toMillis());
    } else if (!minority && wasMinority) {
      log.info("Back in the main cluster: {} members present, {} missing", members.size(), gone.size());
      leaveOnce("healed from a split");
    }
    if (minority && !minorityExit.isZero() && now - minoritySince >= minorityExit.toNanos()) {
      leaveOnce("outside the main cluster for " + minorityExit.toMillis() + " ms");
    }
  }

  private void leaveOnce(String why) {
    if (!left) {
      left = true;
      log.warn("Leaving, {}: this node's view of the others' registrations cannot be trusted", why);
      leave.run();
    }
  }
}
