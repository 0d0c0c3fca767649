package io.scaleout.gateway.route;

import io.scaleout.common.api.CallerSeal;
import io.scaleout.common.bus.Service;
import io.scaleout.gateway.cache.CacheInvalidation;
import io.scaleout.gateway.cache.ReverseCache;
import io.scaleout.gateway.downstream.Downstreams;
import io.scaleout.gateway.http.ClientAddresses;

import java.time.Duration;

/**
 * Makes the gateway's routes: each one maps an HTTP route to a service address through that
 * service's {@link io.scaleout.gateway.downstream.Downstream} (timeout, retry, breaker, bulkhead),
 * with the reverse cache in front of cacheable GETs.
 */
public final class BusForwarder {
  private final Downstreams downstreams;
  private final ReverseCache cache;
  private final CacheInvalidation invalidation;
  private final ClientAddresses clients;
  private final CallerSeal callers;
  private final Duration defaultTimeout;

  public BusForwarder(Downstreams downstreams, ReverseCache cache, CacheInvalidation invalidation, ClientAddresses clients,
                      CallerSeal callers, Duration defaultTimeout) {
    this.downstreams = downstreams;
    this.cache = cache;
    this.invalidation = invalidation;
    this.clients = clients;
    this.callers = callers;
    this.defaultTimeout = defaultTimeout;
  }

  /** A route to {@code address} with the default timeout; refine it with the route's methods. */
  public Route to(Service service, String address) {
    return new Route(downstreams.of(service), cache, invalidation, clients, callers, address, defaultTimeout);
  }
}
