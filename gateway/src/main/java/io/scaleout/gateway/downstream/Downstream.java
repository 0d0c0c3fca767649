package io.scaleout.gateway.downstream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.scaleout.common.balance.Balancer;
import io.scaleout.common.balance.CallPolicy;
import io.scaleout.common.bus.FailureCode;
import io.scaleout.common.bus.Problem;
import io.scaleout.common.bus.Service;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * Every call from this gateway to one service: the bulkhead caps what is in flight; the service's
 * breaker refuses at once (503 with Retry-After, or the caller's stale copy) only when every known
 * instance of it is out of rotation; otherwise the {@link Balancer} sends each attempt to one instance, ejects
 * the ones that fail, and sends an idempotent request that failed to another instance at once, as
 * long as enough of the route's budget is left. Only the service's own faults count (timeouts, no
 * instance, 5xx): a 404 or a 409 is an answer, not a failure.
 */
public final class Downstream {
  private final Service service;
  private final Balancer balancer;
  private final DownstreamConfig config;
  private final Bulkhead bulkhead;
  private final Counter retries;
  private final Counter shortCircuited;
  private final Counter bulkheadRejections;
  private final Consumer<BreakerState> onStateChange;
  private final long warmUntilNanos;
  private volatile BreakerState reported = BreakerState.CLOSED;

  Downstream(Service service, Balancer balancer, DownstreamConfig config, Duration warmUp, MeterRegistry metrics,
             Consumer<BreakerState> onStateChange) {
    this.service = service;
    this.balancer = balancer;
    this.config = config;
    this.onStateChange = onStateChange;
    this.bulkhead = new Bulkhead(config.bulkheadMax());
    this.warmUntilNanos = System.nanoTime() + warmUp.toNanos();
    this.retries = Counter.builder("gateway.retries").tag("downstream", service.id()).register(metrics);
    this.shortCircuited = Counter.builder("gateway.breaker.rejections").tag("downstream", service.id()).register(metrics);
    this.bulkheadRejections = Counter.builder("gateway.bulkhead.rejections").tag("downstream", service.id()).register(metrics);
    Gauge.builder("gateway.bulkhead.in.flight", bulkhead, Bulkhead::inFlight).tag("downstream", service.id()).register(metrics);
    Gauge.builder("gateway.breaker.state", this, d -> d.state().gaugeValue()).tag("downstream", service.id())
        .description("0 closed, 1 half-open, 2 open").register(metrics);
    balancer.onChange(this::state);
  }

  public Service service() {
    return service;
  }

  /** The breaker's state now; a change is reported (logged, counted, announced) once. */
  public BreakerState state() {
    BreakerState state;
    if (balancer.availableCount() > 0) {
      state = BreakerState.CLOSED;
    } else if (balancer.knownCount() == 0) {
      // just started: instances are known after their first announcement; until then the bus picks
      state = System.nanoTime() - warmUntilNanos < 0 ? BreakerState.CLOSED : BreakerState.OPEN;
    } else {
      state = balancer.probing() ? BreakerState.HALF_OPEN : BreakerState.OPEN;
    }
    report(state);
    return state;
  }

  private void report(BreakerState state) {
    if (state == reported) {
      return; // every request asks: no lock unless the state changed
    }
    synchronized (this) {
      if (state == reported) {
        return;
      }
      reported = state;
    }
    onStateChange.accept(state);
  }

  public int inFlight() {
    return bulkhead.inFlight();
  }

  /** The breaker and every instance of the service, for the admin view. */
  public JsonObject toJson() {
    return new JsonObject().put("state", state().name()).put("inFlight", inFlight()).put("instances", balancer.instancesJson());
  }

  /**
   * Sends a request within a route's budget. Fails with a {@link Refusal} when the call is not
   * sent at all, else with the bus failure of the last attempt.
   */
  public Future<Message<Object>> call(String address, Object body, DeliveryOptions options, Duration routeTimeout,
                                      boolean idempotent) {
    if (!bulkhead.tryAcquire()) {
      bulkheadRejections.increment();
      return Future.failedFuture(new Refusal(Problem.of(FailureCode.UNAVAILABLE, "The gateway already has "
          + bulkhead.max() + " requests in flight to " + service.id() + "; try again shortly"), 1));
    }
    // with no instance heard of at all (a service that just started, or none), the bus decides: it
    // knows registrations the first announcement may not have brought yet
    if (state() != BreakerState.CLOSED && balancer.knownCount() > 0) {
      bulkhead.release();
      return Future.failedFuture(openRefusal());
    }
    Duration attempt = idempotent && config.callTimeout().compareTo(routeTimeout) < 0 ? config.callTimeout() : routeTimeout;
    CallPolicy policy = new CallPolicy(routeTimeout, attempt, idempotent, config.retryMinRemaining(), config.maxAttempts(),
        retries::increment);
    return balancer.<Object>request(address, body, options, policy).andThen(ar -> bulkhead.release());
  }

  private Refusal openRefusal() {
    shortCircuited.increment();
    long leftSeconds = (balancer.millisToNextProbe() + 999) / 1000;
    return new Refusal(Problem.of(FailureCode.UNAVAILABLE, "No " + service.id()
        + " instance is in rotation now; the gateway probes them and calls again when one answers"), Math.max(1, leftSeconds));
  }

  /** Failures that say the service is in trouble, as opposed to answers about the request. */
  public static boolean isServiceFault(Throwable failure) {
    return !(failure instanceof Refusal) && Balancer.isInstanceFault(failure);
  }
}
