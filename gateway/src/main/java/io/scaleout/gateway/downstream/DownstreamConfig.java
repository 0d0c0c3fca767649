package io.scaleout.gateway.downstream;

import io.scaleout.common.config.Settings;

import java.time.Duration;

/**
 * How the gateway calls the services.
 *
 * @param routeTimeout      a route's whole budget, retry included (504 beyond)
 * @param callTimeout       one attempt of an idempotent GET; the retry gets what is left of the route's budget
 * @param retryMinRemaining a GET is retried only if at least this much of its budget is left
 * @param breakerFailures   failed calls within the window that open a service's breaker
 * @param breakerWindow     the window in which failures are counted
 * @param breakerReset      how long a breaker stays open before letting one probe through
 * @param bulkheadMax       most requests in flight to one service from this gateway (503 beyond)
 */
public record DownstreamConfig(Duration routeTimeout, Duration callTimeout, Duration retryMinRemaining, int breakerFailures,
                               Duration breakerWindow, Duration breakerReset, int bulkheadMax) {

  public static DownstreamConfig from(Settings s) {
    return new DownstreamConfig(
        s.millis("ROUTE_TIMEOUT_MS", 10, 600_000),
        s.millis("CALL_TIMEOUT_MS", 10, 600_000),
        s.millis("RETRY_MIN_REMAINING_MS", 0, 600_000),
        s.integer("BREAKER_FAILURES", 1, 1_000_000),
        s.millis("BREAKER_WINDOW_MS", 100, 3_600_000),
        s.millis("BREAKER_RESET_MS", 10, 3_600_000),
        s.integer("BULKHEAD_MAX_IN_FLIGHT", 1, 1_000_000));
  }
}
