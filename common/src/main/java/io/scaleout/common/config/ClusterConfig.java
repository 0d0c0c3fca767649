package io.scaleout.common.config;

import java.time.Duration;
import java.util.List;

/**
 * Hazelcast membership and event-bus transport of one node.
 *
 * @param name              cluster name; nodes with another name never join
 * @param host              interface Hazelcast binds to; empty lets Hazelcast choose (containers)
 * @param port              first Hazelcast port tried; the next free one is taken when busy
 * @param portCount         how many ports from {@code port} a node may take and a member probe scans
 * @param join              how members find each other: {@code tcp-ip} (the members list) or
 *                          {@code dns} (every address of {@code dnsName}, looked up at each discovery)
 * @param members           TCP-IP join members: hosts or host:port, no ranges
 * @param dnsName a name whose DNS records are every member's address (dns join: a Kubernetes headless
 *     Service, a compose network alias)
 * @param dnsJoinWaitSeconds with the dns join, how long a starting member that finds no other address
 *     keeps looking before it founds a cluster of its own: members started together (a compose up,
 *     a Deployment's first pods) are published at slightly different moments, and one that looked
 *     too early would found a second cluster
 * @param eventBusHost      host the event bus listens on; empty follows the cluster manager's address
 * @param eventBusPort      event bus port, 0 for a free one
 * @param heartbeatSeconds  Hazelcast heartbeat interval
 * @param maxNoHeartbeatSeconds silence after which a member is dropped (Hazelcast's default is 60)
 * @param mergeDelaySeconds how soon, and how often after, Hazelcast looks for another cluster of the same
 *                          name to merge with after a split (its defaults, 300 and 120 s, left a node
 *                          resumed after SIGSTOP in a cluster of one for minutes)
 * @param watchInterval     how often a node checks whether it is still in the main cluster
 * @param forgetMissing     how long a member that vanished without draining counts as missing
 * @param minorityExit      how long a node stays on the minority side of a split before it leaves to be
 *                          restarted, rather than wait to be merged back; zero waits for the merge
 * @param pauseExit         a process frozen this long (SIGSTOP, a stalled VM) halts the moment it runs
 *                          again, before its Hazelcast threads act on their stale view; zero never does
 * @param migrationStuck    a partition of this node marked as migrating this long, with no migration of the
 *                          current master to finish it, has its mark cleared; zero never does
 * @param migrationTimeoutSeconds how long the master waits for a partition migration's answer before it
 *                          fails it and rolls back (Hazelcast's default, 300 s, held partitions marked as
 *                          migrating for six minutes after an answer was lost, and no member could join)
 * @param leaveMaxWaitSeconds how long leaving waits for Hazelcast to hand this node's partitions to the
 *                          others before it goes anyway (Hazelcast's default, 600 s, outlives any drain)
 * @param trust             the event bus's certificates and the key that signs callers
 */
public record ClusterConfig(
    String name,
    String host,
    int port,
    int portCount,
    String join,
    List<String> members,
    String dnsName,
    int dnsJoinWaitSeconds,
    String eventBusHost,
    int eventBusPort,
    int heartbeatSeconds,
    int maxNoHeartbeatSeconds,
    int mergeDelaySeconds,
    Duration watchInterval,
    Duration forgetMissing,
    Duration minorityExit,
    Duration pauseExit,
    Duration migrationStuck,
    int migrationTimeoutSeconds,
    int leaveMaxWaitSeconds,
    ClusterTrust trust) {

  public static final String TCP_IP = "tcp-ip";
  public static final String DNS = "dns";

  public static ClusterConfig from(Settings s) {
    ClusterConfig config = new ClusterConfig(
        s.string("CLUSTER_NAME"),
        s.optionalString("CLUSTER_HOST"),
        s.integer("CLUSTER_PORT", 1, 65535),
        s.integer("CLUSTER_PORT_COUNT", 1, 1000),
        s.string("CLUSTER_JOIN"),
        s.list("CLUSTER_MEMBERS"),
        s.optionalString("CLUSTER_DNS_NAME"),
        s.integer("CLUSTER_DNS_JOIN_WAIT_SECONDS", 0, 120),
        s.optionalString("EVENTBUS_HOST"),
        s.port("EVENTBUS_PORT"),
        s.integer("CLUSTER_HEARTBEAT_SECONDS", 1, 60),
        s.integer("CLUSTER_MAX_NO_HEARTBEAT_SECONDS", 2, 600),
        s.integer("CLUSTER_MERGE_DELAY_SECONDS", 1, 600),
        s.millis("CLUSTER_WATCH_MS", 10, 60_000),
        s.millis("CLUSTER_MISSING_FORGET_MS", 0, 3_600_000),
        s.millis("CLUSTER_MINORITY_EXIT_MS", 0, 3_600_000),
        s.millis("CLUSTER_PAUSE_EXIT_MS", 0, 3_600_000),
        s.millis("CLUSTER_MIGRATION_STUCK_MS", 0, 3_600_000),
        s.integer("CLUSTER_MIGRATION_TIMEOUT_SECONDS", 1, 600),
        s.integer("CLUSTER_LEAVE_MAX_WAIT_SECONDS", 1, 600),
        ClusterTrust.from(s));
    if (config.maxNoHeartbeatSeconds <= config.heartbeatSeconds) {
      throw new ConfigException("Invalid configuration: CLUSTER_MAX_NO_HEARTBEAT_SECONDS="
          + config.maxNoHeartbeatSeconds + " must exceed CLUSTER_HEARTBEAT_SECONDS=" + config.heartbeatSeconds);
    }
    if (config.join.equals("kubernetes")) {
      // the name of release 0.1.0's first manifests; the join works for any DNS name now
      throw new ConfigException("Invalid configuration: CLUSTER_JOIN=kubernetes is now CLUSTER_JOIN=dns, and "
          + "CLUSTER_KUBERNETES_SERVICE_DNS is now CLUSTER_DNS_NAME");
    }
    if (!config.join.equals(TCP_IP) && !config.join.equals(DNS)) {
      throw new ConfigException("Invalid configuration: CLUSTER_JOIN='" + config.join + "' must be tcp-ip or dns");
    }
    if (config.join.equals(DNS) && config.dnsName.isEmpty()) {
      throw new ConfigException("Invalid configuration: CLUSTER_JOIN=dns needs CLUSTER_DNS_NAME (a name resolving "
          + "to every member: a headless Service such as scaleout-hazelcast.scaleout.svc.cluster.local, a network alias)");
    }
    for (String member : config.members) {
      if (member.matches(".*:\\d+-\\d+$")) {
        throw new ConfigException("Invalid configuration: CLUSTER_MEMBERS entry '" + member
            + "' is a port range; list a bare host (ports CLUSTER_PORT.. are probed) or single host:port entries");
      }
    }
    return config;
  }
}
