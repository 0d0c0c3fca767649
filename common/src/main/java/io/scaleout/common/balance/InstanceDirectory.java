package io.scaleout.common.balance;

import io.micrometer.core.instrument.MeterRegistry;
import io.scaleout.common.bus.Service;
import io.scaleout.common.cluster.InstanceAnnouncement;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;

import java.time.Duration;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every instance of every service, as their announcements tell, with one {@link Balancer} per
 * service for this process's requests. It hears the announcements and runs the balancers' checks on
 * the event loop of the context that starts it; it keeps listening while this process drains, since
 * work it finishes may still call other services.
 */
public final class InstanceDirectory {
  private final Vertx vertx;
  private final ClusterManager cluster;
  private final BalancerConfig config;
  private final Duration drainingMark;
  private final Map<Service, Balancer> balancers = new EnumMap<>(Service.class);
  /** member id → when it announced that it drains: its departure is no crash */
  private final Map<String, Long> draining = new ConcurrentHashMap<>();
  private MessageConsumer<JsonObject> consumer;
  private long timer = -1;

  /** {@code drainingMark}: how long a member that announced it drains is remembered as leaving on purpose. */
  public InstanceDirectory(Vertx vertx, ClusterManager cluster, BalancerConfig config, Duration sharedRetryDelay,
                           Duration drainingMark, MeterRegistry metrics) {
    this.vertx = vertx;
    this.cluster = cluster;
    this.config = config;
    this.drainingMark = drainingMark;
    for (Service service : Service.values()) {
      balancers.put(service, new Balancer(service, vertx, config, sharedRetryDelay, metrics));
    }
  }

  public BalancerConfig config() {
    return config;
  }

  public Balancer balancer(Service service) {
    return balancers.get(service);
  }

  /** True when the member announced it was draining before it left. */
  public boolean leftGracefully(String nodeId) {
    return draining.containsKey(nodeId);
  }

  public Future<Void> start() {
    consumer = vertx.eventBus().consumer(InstanceAnnouncement.ADDRESS, message -> heard(InstanceAnnouncement.fromJson(message.body())));
    timer = vertx.setPeriodic(config.tick().toMillis(), id -> tick());
    return consumer.completion();
  }

  public Future<Void> stop() {
    vertx.cancelTimer(timer);
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  private void heard(InstanceAnnouncement announcement) {
    Service service = Service.byId(announcement.service());
    if (service == null) {
      return;
    }
    if (announcement.state() == InstanceAnnouncement.State.DRAINING) {
      draining.put(announcement.nodeId(), System.nanoTime());
    }
    if (!cluster.getNodes().contains(announcement.nodeId())) {
      return; // a node dropped from this cluster (resumed after a pause) still reaches us over the bus: not one to call
    }
    balancers.get(service).announced(announcement.instance(), announcement.nodeId(),
        announcement.state() == InstanceAnnouncement.State.READY);
  }

  private void tick() {
    if (!cluster.isActive()) {
      return;
    }
    Set<String> members = new HashSet<>(cluster.getNodes());
    long now = System.nanoTime();
    draining.values().removeIf(at -> now - at > drainingMark.toNanos());
    balancers.values().forEach(balancer -> balancer.tick(members));
  }
}
