package io.scaleout.common.bus;

import io.scaleout.common.balance.CallPolicy;
import io.scaleout.common.balance.InstanceDirectory;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;

import java.time.Duration;

/**
 * Request-reply to a service over the clustered event bus, with a timeout on every call: sent to
 * one of its instances by that service's {@link io.scaleout.common.balance.Balancer}, and sent
 * again to another when it reached none (no handler: an instance that had just left or begun to
 * drain), which is what lets an instance leave without failing a request.
 */
public final class BusClient {
  private final InstanceDirectory directory;
  private final Duration timeout;

  public BusClient(InstanceDirectory directory, Duration timeout) {
    this.directory = directory;
    this.timeout = timeout;
  }

  public Duration timeout() {
    return timeout;
  }

  public <T> Future<Message<T>> request(Service target, String address, Object body) {
    return request(target, address, body, new DeliveryOptions());
  }

  /** The options' send timeout, when set, is the request's whole budget; else the bus default. */
  public <T> Future<Message<T>> request(Service target, String address, Object body, DeliveryOptions options) {
    return directory.balancer(target).request(address, body, options, CallPolicy.once(budget(options)));
  }

  public <T> Future<Message<T>> requestIdempotent(Service target, String address, Object body) {
    return requestIdempotent(target, address, body, new DeliveryOptions());
  }

  /**
   * As {@link #request}, for a request that may be repeated (a read, an idempotent write): after a
   * timeout or a 5xx, or when its instance stalls, it goes to another instance within the budget.
   */
  public <T> Future<Message<T>> requestIdempotent(Service target, String address, Object body, DeliveryOptions options) {
    return directory.balancer(target).request(address, body, options, CallPolicy.idempotent(budget(options)));
  }

  private Duration budget(DeliveryOptions options) {
    return options.getSendTimeout() == DeliveryOptions.DEFAULT_TIMEOUT ? timeout : Duration.ofMillis(options.getSendTimeout());
  }
}
