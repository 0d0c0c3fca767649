package io.scaleout.common.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.scaleout.common.bus.BusClient;
import io.scaleout.common.bus.BusEndpoints;
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
  private final BusClient busClient;
  private final MeterRegistry metrics;
  private final List<Supplier<Future<Void>>> drainSteps = new CopyOnWriteArrayList<>();

  ServiceContext(Vertx vertx, NodeConfig node, Settings settings, String nodeId, BusEndpoints endpoints, MeterRegistry metrics) {
    this.metrics = metrics;
    this.vertx = vertx;
    this.node = node;
    this.settings = settings;
    this.nodeId = nodeId;
    this.endpoints = endpoints;
    this.busClient = new BusClient(vertx,
        settings.millis("BUS_REQUEST_TIMEOUT_MS", 1, 600_000),
        settings.millis("BUS_NO_HANDLERS_RETRY_MS", 1, 10_000));
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

  public BusClient busClient() {
    return busClient;
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
