package io.scaleout.common.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.scaleout.common.api.CallerSeal;
import io.scaleout.common.balance.InstanceDirectory;
import io.scaleout.common.bus.BusClient;
import io.scaleout.common.bus.BusEndpoints;
import io.scaleout.common.cluster.ClusterMac;
import io.scaleout.common.cluster.MembershipWatch;
import io.scaleout.common.config.NodeConfig;
import io.scaleout.common.config.Settings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/** What a service module gets at start: its node, settings, the bus, and a hook into shutdown. */
public final class ServiceContext {
  private final Vertx vertx;
  private final NodeConfig node;
  private final Settings settings;
  private final String nodeId;
  private final BusEndpoints endpoints;
  private final InstanceDirectory instances;
  private final MembershipWatch membership;
  private final BusClient busClient;
  private final MeterRegistry metrics;
  private final ClusterMac clusterMac;
  private final CallerSeal callerSeal;
  private final List<Supplier<Future<Void>>> drainSteps = new CopyOnWriteArrayList<>();

  ServiceContext(Vertx vertx, NodeConfig node, Settings settings, String nodeId, BusEndpoints endpoints,
                 InstanceDirectory instances, MembershipWatch membership, MeterRegistry metrics) {
    this.membership = membership;
    this.metrics = metrics;
    this.vertx = vertx;
    this.node = node;
    this.settings = settings;
    this.nodeId = nodeId;
    this.endpoints = endpoints;
    this.instances = instances;
    this.busClient = new BusClient(instances, settings.millis("BUS_REQUEST_TIMEOUT_MS", 1, 600_000));
    this.clusterMac = ClusterMac.of(node.cluster().trust());
    this.callerSeal = CallerSeal.of(clusterMac, node.cluster().trust());
  }

  public Vertx vertx() {
    return vertx;
  }

  public NodeConfig node() {
    return node;
  }

  public Settings settings() {
    return settings;
  }

  /** This process's Hazelcast member id. */
  public String nodeId() {
    return nodeId;
  }

  public BusEndpoints endpoints() {
    return endpoints;
  }

  /** Every instance of every service, and the balancer of this process's requests to each. */
  public InstanceDirectory instances() {
    return instances;
  }

  /** Whether this node is in the main cluster, and the members it misses. */
  public MembershipWatch membership() {
    return membership;
  }

  public BusClient busClient() {
    return busClient;
  }

  /** Signs what members write for each other where others could write too (the Hazelcast grid). */
  public ClusterMac clusterMac() {
    return clusterMac;
  }

  /** Signs the callers this process sends requests for, and checks those of requests it serves. */
  public CallerSeal callerSeal() {
    return callerSeal;
  }

  /** Where a service registers its domain figures (served at /metrics on the management port). */
  public MeterRegistry metrics() {
    return metrics;
  }

  /**
   * Adds a "stop taking new work" step run at shutdown after the grace period, next to the
   * unregistering of bus consumers (an HTTP server's graceful shutdown, a Kafka consumer's pause).
   */
  public void onDrain(Supplier<Future<Void>> step) {
    drainSteps.add(step);
  }

  List<Supplier<Future<Void>>> drainSteps() {
    return drainSteps;
  }
}
