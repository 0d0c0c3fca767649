package io.scaleout.gateway.downstream;

import io.scaleout.common.config.Settings;

import java.time.Duration;

/**
 * How the gateway calls the services (which instance, and when one is ejected, is the balancer's
 * part: see {@link io.scaleout.common.balance.BalancerConfig}).
 *
 * @param routeTimeout      a route's whole budget, retries included (504 beyond)
 * @param callTimeout       one attempt of an idempotent request; a retry gets at most this of what is left
 * @param retryMinRemaining no new attempt with less than this left of the budget
 * @param maxAttempts       attempts in all of an idempotent request, each on another instance while there is one
 * @param bulkheadMax       most requests in flight to one service from this gateway (503 beyond)
 */
public record DownstreamConfig(Duration routeTimeout, Duration callTimeout, Duration retryMinRemaining, int maxAttempts,
                               int bulkheadMax) {

  public static DownstreamConfig from(Settings s) {
    return new DownstreamConfig(
        s.millis("ROUTE_TIMEOUT_MS", 10, 600_000),
        s.millis("CALL_TIMEOUT_MS", 10, 600_000),
        s.millis("RETRY_MIN_REMAINING_MS", 0, 600_000),
        s.integer("RETRY_MAX_ATTEMPTS", 1, 10),
        s.integer("BULKHEAD_MAX_IN_FLIGHT", 1, 1_000_000));
  }
}
