package io.scaleout.gateway.downstream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.scaleout.common.bus.Service;
import io.scaleout.common.gateway.BreakerNotice;
import io.scaleout.common.runtime.ServiceContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This gateway's {@link Downstream} per service, shared by all its event loops, and the breaker
 * states of every gateway of the cluster as their notices announce them.
 */
public final class Downstreams {
  private static final Logger log = LoggerFactory.getLogger(Downstreams.class);

  private final Map<Service, Downstream> byService = new EnumMap<>(Service.class);
  /** gateway instance → service → latest notice. */
  private final Map<String, Map<String, BreakerNotice>> clusterBreakers = new ConcurrentHashMap<>();
  private final ServiceContext context;

  public Downstreams(ServiceContext context, DownstreamConfig config) {
    this.context = context;
    MeterRegistry metrics = context.metrics();
    for (Service service : new Service[] {Service.CATALOG, Service.SESSION, Service.WORKER}) {
      byService.put(service, new Downstream(service, context.instances().balancer(service), config,
          context.instances().config().instanceExpiry(), metrics, state -> changed(service, state, metrics)));
    }
  }

  /** Listens to the breaker notices of every gateway. */
  public Future<Void> register() {
    return context.endpoints().register(BreakerNotice.ADDRESS, message -> {
      BreakerNotice notice = BreakerNotice.fromJson(message.body());
      clusterBreakers.computeIfAbsent(notice.gateway(), g -> new ConcurrentHashMap<>()).put(notice.service(), notice);
      return Future.succeededFuture();
    });
  }

  public Downstream of(Service service) {
    Downstream downstream = byService.get(service);
    if (downstream == null) {
      throw new IllegalArgumentException("No downstream " + service);
    }
    return downstream;
  }

  /** Breakers of this gateway with the instances behind each, and those other gateways reported. */
  public JsonObject breakersJson() {
    JsonObject own = new JsonObject();
    byService.forEach((service, downstream) -> own.put(service.id(), downstream.toJson()));
    JsonObject others = new JsonObject();
    clusterBreakers.forEach((gateway, services) -> {
      if (!gateway.equals(context.node().instanceId())) {
        JsonObject states = new JsonObject();
        services.forEach((service, notice) -> states.put(service, new JsonObject()
            .put("state", notice.state()).put("since", notice.at().toString())));
        others.put(gateway, states);
      }
    });
    return new JsonObject().put("this", own).put("reported", others);
  }

  private void changed(Service service, BreakerState state, MeterRegistry metrics) {
    if (state == BreakerState.CLOSED) {
      log.info("Circuit breaker for {} closed", service.id());
    } else {
      log.warn("Circuit breaker for {} is {}", service.id(), state);
    }
    Counter.builder("gateway.breaker.transitions").tag("downstream", service.id()).tag("state", state.name().toLowerCase())
        .register(metrics).increment();
    BreakerNotice notice = new BreakerNotice(context.node().instanceId(), service.id(), state.name(), Instant.now());
    context.vertx().eventBus().publish(BreakerNotice.ADDRESS, notice.toJson());
  }
}
