package io.scaleout.common.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.scaleout.common.config.ClusterConfig;
import io.scaleout.common.config.ClusterTrust;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a clustered Vert.x node: Hazelcast membership over TCP-IP join (no multicast, no
 * phone-home), fast failure detection, and an event bus bound to the configured host that speaks
 * mutual TLS.
 */
public final class ClusterBootstrap {
  private static final Logger log = LoggerFactory.getLogger(ClusterBootstrap.class);

  private ClusterBootstrap() {
  }

  public static Future<Vertx> start(ClusterConfig config) {
    return start(config, new VertxOptions());
  }

  public static Future<Vertx> start(ClusterConfig config, VertxOptions options) {
    return start(config, options, new HazelcastClusterManager(hazelcastConfig(config)));
  }

  public static Future<Vertx> start(ClusterConfig config, VertxOptions options, HazelcastClusterManager manager) {
    return start(config, options, manager, null);
  }

  /** With {@code metrics} (may be null) collecting Vert.x's own figures. */
  public static Future<Vertx> start(ClusterConfig config, VertxOptions options, HazelcastClusterManager manager,
                                    VertxMetricsFactory metrics) {
    EventBusOptions bus = options.getEventBusOptions();
    if (!config.eventBusHost().isEmpty()) {
      bus.setHost(config.eventBusHost()).setClusterPublicHost(config.eventBusHost());
    }
    bus.setPort(config.eventBusPort());
    ClusterTrust trust = config.trust();
    if (trust.tls()) {
      // both ends present a certificate of the cluster's authority: a process that joined Hazelcast
      // by name alone cannot open, or accept, an event-bus connection (Vert.x checks no host names
      // here, the authority is the proof)
      bus.setSsl(true).setClientAuth(ClientAuth.REQUIRED)
          .setKeyCertOptions(new PemKeyCertOptions().setCertPath(trust.certPath()).setKeyPath(trust.keyPath()))
          .setTrustOptions(new PemTrustOptions().addCertPath(trust.caPath()));
    } else {
      log.warn("CLUSTER_TLS=off: the event bus is plain TCP; any process that joins cluster '{}' can read and send its "
          + "messages", config.name());
    }
    // epoll where the platform has it (Linux x86-64 jar bundled); NIO elsewhere
    options.setPreferNativeTransport(true);
    VertxBuilder builder = Vertx.builder().with(options).withClusterManager(manager);
    if (metrics != null) {
      builder.withMetrics(metrics);
    }
    return builder.buildClustered()
        .recover(failure -> Future.failedFuture(new IllegalStateException(
            "Cannot join cluster '" + config.name() + "' via members " + config.members()
                + " (Hazelcast port " + config.port() + "+" + (trust.tls() ? ", event-bus TLS from " + trust : "")
                + "): " + failure.getMessage(), failure)));
  }

  /** Vert.x's own Hazelcast defaults (they hold the maps the event bus needs) tuned for us. */
  public static Config hazelcastConfig(ClusterConfig config) {
    Config hz = ConfigUtil.loadConfig();
    hz.setClusterName(config.name());
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    hz.setProperty("hazelcast.logging.type", "slf4j");
    // a static member list is complete at once; a name's records fill as members start
    hz.setProperty("hazelcast.wait.seconds.before.join",
        config.join().equals(ClusterConfig.DNS) ? Integer.toString(config.dnsJoinWaitSeconds()) : "0");
    hz.setProperty("hazelcast.heartbeat.interval.seconds", Integer.toString(config.heartbeatSeconds()));
    hz.setProperty("hazelcast.max.no.heartbeat.seconds", Integer.toString(config.maxNoHeartbeatSeconds()));
    hz.setProperty("hazelcast.merge.first.run.delay.seconds", Integer.toString(config.mergeDelaySeconds()));
    hz.setProperty("hazelcast.merge.next.run.delay.seconds", Integer.toString(config.mergeDelaySeconds()));
    // Our shutdown sequence drains work first and leaves the cluster last; Hazelcast's own hook
    // would leave at the first signal.
    hz.setProperty("hazelcast.shutdownhook.enabled", "false");
    hz.setProperty("hazelcast.graceful.shutdown.max.wait", Integer.toString(config.leaveMaxWaitSeconds()));
    hz.setProperty("hazelcast.partition.migration.timeout", Integer.toString(config.migrationTimeoutSeconds()));

    NetworkConfig network = hz.getNetworkConfig();
    network.setPort(config.port()).setPortCount(config.portCount()).setPortAutoIncrement(true);
    if (!config.host().isEmpty()) {
      network.getInterfaces().setEnabled(true).addInterface(config.host());
      hz.setProperty("hazelcast.local.localAddress", config.host());
    }
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    if (config.join().equals(ClusterConfig.DNS)) {
      // every address the name resolves to, looked up again at each discovery (members that start
      // or scale later are found): Hazelcast's Kubernetes discovery in its DNS mode, which needs
      // no Kubernetes API, so a compose network alias serves as well as a headless Service
      join.getKubernetesConfig().setEnabled(true)
          .setProperty("service-dns", config.dnsName())
          .setProperty("service-port", Integer.toString(config.port()));
    } else {
      join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(1).setMembers(config.members());
    }
    return hz;
  }
}
