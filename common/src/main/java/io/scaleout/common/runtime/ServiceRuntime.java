package io.scaleout.common.runtime;

import io.scaleout.common.balance.InstanceDirectory;
import io.scaleout.common.bus.BusEndpoints;
import io.scaleout.common.bus.PingReply;
import io.scaleout.common.bus.Service;
import io.scaleout.common.cluster.ClusterBootstrap;
import io.scaleout.common.cluster.InstanceAnnouncement;
import io.scaleout.common.cluster.MembershipWatch;
import io.scaleout.common.cluster.PartitionWatch;
import io.scaleout.common.cluster.PauseWatch;
import io.scaleout.common.config.ConfigException;
import io.scaleout.common.config.NodeConfig;
import io.scaleout.common.config.Settings;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.scaleout.common.observability.LogContext;
import io.scaleout.common.observability.Metrics;
import io.scaleout.common.observability.RequestIdInterceptors;
import io.scaleout.common.ops.OpsSnapshot;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One service process: joins the cluster, opens the management port, answers pings, starts the
 * service's module, and on shutdown drains in order: not ready, grace period, stop taking work,
 * finish in-flight work (bounded), leave the cluster.
 */
public final class ServiceRuntime {
  private static final Logger log = LoggerFactory.getLogger(ServiceRuntime.class);
  /** Exit status of a node that left after a split: restart it (compose, Kubernetes, chaos.sh do). */
  public static final int EXIT_AFTER_SPLIT = 3;

  /** A service's own start-up: deploy verticles, register endpoints. */
  @FunctionalInterface
  public interface Module {
    Future<Void> start(ServiceContext context);
  }

  private final NodeConfig node;
  private final Vertx vertx;
  private final HazelcastClusterManager cluster;
  private final PrometheusMeterRegistry metrics;
  private final BusEndpoints endpoints;
  private final InstanceDirectory instances;
  private final MembershipWatch membership;
  private final PartitionWatch partitions;
  private final ServiceContext context;
  private long announcer = -1;
  /** What a node does after a split: in its own process, exit to be restarted; in a test JVM, shut down. */
  private volatile Runnable afterSplit = this::shutdown;
  private volatile HttpServer management;
  private volatile boolean serving;
  private volatile boolean draining;
  private Future<Void> shutdown;

  private ServiceRuntime(NodeConfig node, Settings settings, Vertx vertx, HazelcastClusterManager cluster,
                         PrometheusMeterRegistry metrics) {
    this.node = node;
    this.vertx = vertx;
    this.cluster = cluster;
    this.metrics = metrics;
    this.endpoints = new BusEndpoints(vertx, node.instanceId());
    this.instances = new InstanceDirectory(vertx, cluster, node.balancer(),
        settings.millis("BUS_NO_HANDLERS_RETRY_MS", 1, 10_000), node.cluster().forgetMissing(), metrics);
    this.membership = new MembershipWatch(vertx, cluster, node.cluster(), instances::leftGracefully, metrics);
    this.context = new ServiceContext(vertx, node, settings, cluster.getNodeId(), endpoints, instances, membership, metrics);
    this.partitions = new PartitionWatch(vertx, cluster, node.cluster().watchInterval(),
        node.cluster().migrationStuck(), metrics);
    membership.onLeave(() -> {
      log.warn("Leaving to be started afresh (exit status {} in its own process)", EXIT_AFTER_SPLIT);
      afterSplit.run();
    });
  }

  /** Entry point of a service jar: configuration from the environment, exit on failure. */
  public static void main(String service, Module module) {
    launch(service, settings -> NodeConfig.from(service, settings), module);
  }

  /**
   * Like {@link #main} with the defaults file and the node identity chosen separately (test nodes
   * reuse one defaults file for any service name).
   */
  public static void launch(String defaults, Function<Settings, NodeConfig> nodeConfig, Module module) {
    Settings settings;
    NodeConfig node;
    try {
      settings = Settings.load(defaults, System.getenv());
      node = nodeConfig.apply(settings);
    } catch (ConfigException e) {
      System.err.println("scaleout " + defaults + ": " + e.getMessage());
      System.exit(2);
      return;
    }
    long begin = System.nanoTime();
    CountDownLatch startup = new CountDownLatch(1);
    AtomicReference<ServiceRuntime> running = new AtomicReference<>();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      // a signal during start-up waits for start to settle, so the node still leaves cleanly
      awaitQuietly(startup, 60_000);
      if (running.get() != null) {
        long bound = node.shutdownGrace().plus(node.drainTimeout()).plus(node.flushDelay())
            .plusSeconds(node.cluster().leaveMaxWaitSeconds()).toMillis() + 5_000;
        CountDownLatch stopped = new CountDownLatch(1);
        running.get().shutdown().onComplete(ar -> stopped.countDown());
        awaitQuietly(stopped, bound);
      }
      LogContext.stop();
    }, "scaleout-shutdown"));
    start(settings, node, module).onComplete(ar -> {
      if (ar.succeeded()) {
        running.set(ar.result());
        // off the event loop: exit runs the shutdown hook, which drains on the event loops
        ar.result().afterSplit = () -> new Thread(() -> System.exit(EXIT_AFTER_SPLIT), "scaleout-exit").start();
        PauseWatch.start(node.cluster().pauseExit(), EXIT_AFTER_SPLIT);
        startup.countDown();
        log.info("{} {} ready in {} ms ({} transport)", node.service(), node.instanceId(),
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin),
            ar.result().vertx().isNativeTransportEnabled() ? "epoll" : "NIO");
      } else {
        startup.countDown();
        log.error("{} {} failed to start: {}", node.service(), node.instanceId(), ar.cause().getMessage(), ar.cause());
        System.exit(1);
      }
    });
  }

  private static void awaitQuietly(CountDownLatch latch, long millis) {
    try {
      latch.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Starts a node in this JVM (the jar's main, and tests that need several nodes). */
  public static Future<ServiceRuntime> start(Settings settings, NodeConfig node, Module module) {
    LogContext.identify(node.service(), node.instanceId(), node.logLevel());
    log.info("Starting {} {} with {}", node.service(), node.instanceId(), settings.describe());
    HazelcastClusterManager manager = new HazelcastClusterManager(ClusterBootstrap.hazelcastConfig(node.cluster()));
    PrometheusMeterRegistry metrics = Metrics.registry(node.service(), node.instanceId());
    return ClusterBootstrap.start(node.cluster(), Metrics.enable(new VertxOptions()), manager,
        new MicrometerMetricsFactory(metrics)).compose(vertx -> {
      ServiceRuntime runtime = new ServiceRuntime(node, settings, vertx, manager, metrics);
      return runtime.startServing(module)
          .map(runtime)
          .recover(failure -> {
            // the caller reports the failure (launch logs it once); the close is not chained:
            // callbacks of its future would target event loops that no longer run
            vertx.close();
            return Future.failedFuture(failure);
          });
    });
  }

  private Future<Void> startServing(Module module) {
    RequestIdInterceptors.install(vertx.eventBus());
    LogContext.node(cluster.getNodeId());
    log.info("Joined cluster '{}' as node {} with {} members", node.cluster().name(), cluster.getNodeId(),
        cluster.getNodes().size());
    return instances.start()
        .onSuccess(v -> {
          membership.start();
          partitions.start();
        })
        .compose(v -> ManagementServer.start(vertx, node.managementHost(), node.managementPort(), livenessChecks(), readinessChecks(), metrics))
        .compose(server -> {
          management = server;
          return endpoints.register(Service.pingAddress(node.service()), message -> {
            log.debug("Ping answered");
            return Future.succeededFuture(new PingReply(node.service(), node.instanceId(), cluster.getNodeId()).toJson());
          });
        })
        .compose(v -> endpoints.register(OpsSnapshot.address(node.service()), message -> Future.succeededFuture(
            OpsSnapshot.of(node.service(), node.instanceId(), state(), ManagementFactory.getRuntimeMXBean().getUptime(), metrics)
                .toJson())))
        .compose(v -> module.start(context))
        .onSuccess(v -> {
          serving = true;
          announce();
          announcer = vertx.setPeriodic(node.balancer().announceInterval().toMillis(), id -> announce());
        });
  }

  /** Tells every caller whether this instance takes work; they send it nothing new unless READY. */
  private void announce() {
    vertx.eventBus().publish(InstanceAnnouncement.ADDRESS,
        new InstanceAnnouncement(node.service(), node.instanceId(), cluster.getNodeId(), state()).toJson());
  }

  private InstanceAnnouncement.State state() {
    return draining ? InstanceAnnouncement.State.DRAINING
        : ready() ? InstanceAnnouncement.State.READY : InstanceAnnouncement.State.NOT_READY;
  }

  private HealthChecks livenessChecks() {
    return HealthChecks.create(vertx).register("process", promise -> promise.complete(Status.OK()));
  }

  private HealthChecks readinessChecks() {
    return HealthChecks.create(vertx)
        .register("cluster", promise -> promise.complete(inMainCluster()
            ? Status.OK() : Status.KO(membership.toJson())))
        .register("service", promise -> promise.complete(serving && !draining
            ? Status.OK()
            : Status.KO(new JsonObject().put("starting", !serving).put("draining", draining))));
  }

  public Vertx vertx() {
    return vertx;
  }

  public NodeConfig node() {
    return node;
  }

  public String nodeId() {
    return cluster.getNodeId();
  }

  public int managementPort() {
    return management.actualPort();
  }

  /** A member of the cluster, and not on the minority side of a split (see {@link MembershipWatch}). */
  private boolean inMainCluster() {
    return cluster.isActive() && cluster.getNodes().contains(cluster.getNodeId()) && !membership.inMinority();
  }

  public boolean ready() {
    return serving && !draining && inMainCluster();
  }

  /** Graceful shutdown; idempotent, the same future for every caller. */
  public synchronized Future<Void> shutdown() {
    if (shutdown != null) {
      return shutdown;
    }
    draining = true;
    if (serving) {
      announce();
    }
    log.info("Shutting down: not ready now, stop taking work in {} ms", node.shutdownGrace().toMillis());
    shutdown = pause(node.shutdownGrace())
        .compose(v -> stopTakingWork())
        .compose(v -> endpoints.awaitIdle(node.drainTimeout()))
        .compose(v -> pause(node.flushDelay()))
        .eventually(() -> management == null ? Future.succeededFuture() : management.close())
        .eventually(this::stopWatching)
        .eventually(vertx::close)
        .onComplete(ar -> log.info("{} {} left the cluster", node.service(), node.instanceId()));
    return shutdown;
  }

  private Future<Void> stopWatching() {
    vertx.cancelTimer(announcer);
    membership.stop();
    partitions.stop();
    return instances.stop();
  }

  private Future<Void> pause(Duration duration) {
    Promise<Void> over = Promise.promise();
    vertx.setTimer(Math.max(1, duration.toMillis()), id -> over.complete());
    return over.future();
  }

  private Future<Void> stopTakingWork() {
    List<Future<Void>> steps = new ArrayList<>();
    steps.add(endpoints.unregisterAll());
    for (Supplier<Future<Void>> step : context.drainSteps()) {
      steps.add(step.get());
    }
    return Future.join(steps).transform(ar -> {
      if (ar.failed()) {
        log.warn("A drain step failed: {}", ar.cause().getMessage());
      }
      return Future.succeededFuture();
    });
  }
}
