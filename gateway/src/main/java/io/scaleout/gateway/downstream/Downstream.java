package io.scaleout.gateway.downstream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.scaleout.common.bus.BusClient;
import io.scaleout.common.bus.FailureCode;
import io.scaleout.common.bus.Problem;
import io.scaleout.common.bus.Service;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * Every call from this gateway to one service, in this order: the route's overall timeout bounds
 * everything; inside it an idempotent GET may be retried once, only while the breaker is closed and
 * enough of the budget is left; every attempt goes through the breaker (so each counts); the
 * bulkhead caps what is in flight. Only the service's own faults count against the breaker
 * (timeouts, no instance, 5xx): a 404 or a 409 is an answer, not a failure.
 */
public final class Downstream {
  /** An attempt's result as the breaker sees it: a reply, or an answer that is a client error. */
  private record Outcome(Message<Object> reply, Throwable clientError) {
  }

  private final Service service;
  private final BusClient bus;
  private final DownstreamConfig config;
  private final CircuitBreaker breaker;
  private final Bulkhead bulkhead;
  private final Counter retries;
  private final Counter shortCircuited;
  private final Counter bulkheadRejections;
  private volatile long openedAtNanos;

  Downstream(Service service, Vertx vertx, BusClient bus, DownstreamConfig config, MeterRegistry metrics,
             Consumer<CircuitBreakerState> onStateChange) {
    this.service = service;
    this.bus = bus;
    this.config = config;
    this.bulkhead = new Bulkhead(config.bulkheadMax());
    // the bus request carries the attempt timeout, so the breaker's own timeout stays off
    this.breaker = CircuitBreaker.create("gateway-" + service.id(), vertx, new CircuitBreakerOptions()
        .setMaxFailures(config.breakerFailures())
        .setFailuresRollingWindow(config.breakerWindow().toMillis())
        .setResetTimeout(config.breakerReset().toMillis())
        .setTimeout(-1)
        .setNotificationAddress(null));
    breaker.openHandler(v -> {
      openedAtNanos = System.nanoTime();
      onStateChange.accept(CircuitBreakerState.OPEN);
    });
    breaker.halfOpenHandler(v -> onStateChange.accept(CircuitBreakerState.HALF_OPEN));
    breaker.closeHandler(v -> onStateChange.accept(CircuitBreakerState.CLOSED));
    this.retries = Counter.builder("gateway.retries").tag("downstream", service.id()).register(metrics);
    this.shortCircuited = Counter.builder("gateway.breaker.rejections").tag("downstream", service.id()).register(metrics);
    this.bulkheadRejections = Counter.builder("gateway.bulkhead.rejections").tag("downstream", service.id()).register(metrics);
    Gauge.builder("gateway.bulkhead.in.flight", bulkhead, Bulkhead::inFlight).tag("downstream", service.id()).register(metrics);
    Gauge.builder("gateway.breaker.state", breaker, b -> stateValue(b.state())).tag("downstream", service.id())
        .description("0 closed, 1 half-open, 2 open").register(metrics);
  }

  public Service service() {
    return service;
  }

  public CircuitBreakerState state() {
    return breaker.state();
  }

  public int inFlight() {
    return bulkhead.inFlight();
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
    long deadline = System.nanoTime() + routeTimeout.toNanos();
    long firstTimeout = idempotent ? Math.min(config.callTimeout().toMillis(), routeTimeout.toMillis()) : routeTimeout.toMillis();
    Future<Message<Object>> result = attempt(address, body, options, firstTimeout);
    if (idempotent) {
      result = result.recover(failure -> retry(address, body, options, deadline, failure));
    }
    return result.andThen(ar -> bulkhead.release());
  }

  private Future<Message<Object>> retry(String address, Object body, DeliveryOptions options, long deadline, Throwable failure) {
    long left = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
    if (!isServiceFault(failure) || breaker.state() != CircuitBreakerState.CLOSED || left < Math.max(1, config.retryMinRemaining().toMillis())) {
      return Future.failedFuture(failure);
    }
    retries.increment();
    return attempt(address, body, options, left);
  }

  private Future<Message<Object>> attempt(String address, Object body, DeliveryOptions options, long timeoutMillis) {
    DeliveryOptions attemptOptions = new DeliveryOptions(options).setSendTimeout(timeoutMillis);
    return breaker.<Outcome>execute(() -> bus.<Object>request(address, body, attemptOptions)
            .map(reply -> new Outcome(reply, null))
            .recover(failure -> isServiceFault(failure) ? Future.failedFuture(failure) : Future.succeededFuture(new Outcome(null, failure))))
        .recover(failure -> Future.failedFuture(failure instanceof OpenCircuitException ? openRefusal() : failure))
        .compose(outcome -> outcome.clientError == null ? Future.succeededFuture(outcome.reply) : Future.failedFuture(outcome.clientError));
  }

  private Refusal openRefusal() {
    shortCircuited.increment();
    long waitedNanos = System.nanoTime() - openedAtNanos;
    long leftSeconds = (config.breakerReset().toNanos() - waitedNanos + 999_999_999L) / 1_000_000_000L;
    return new Refusal(Problem.of(FailureCode.UNAVAILABLE, service.id() + " is failing; the gateway stops calling it for a while"),
        Math.max(1, leftSeconds));
  }

  /** Failures that say the service is in trouble, as opposed to answers about the request. */
  public static boolean isServiceFault(Throwable failure) {
    if (failure instanceof Refusal) {
      return false;
    }
    if (!(failure instanceof ReplyException reply)) {
      return true;
    }
    return reply.failureType() != ReplyFailure.RECIPIENT_FAILURE || reply.failureCode() >= 500;
  }

  private static int stateValue(CircuitBreakerState state) {
    return switch (state) {
      case CLOSED -> 0;
      case HALF_OPEN -> 1;
      case OPEN -> 2;
    };
  }
}
