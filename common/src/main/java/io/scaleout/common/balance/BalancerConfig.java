package io.scaleout.common.balance;

import io.scaleout.common.config.ConfigException;
import io.scaleout.common.config.Settings;

import java.time.Duration;

/**
 * How a process balances its requests over the instances of the services it calls, and when it
 * takes an instance out of rotation (outlier ejection, after Envoy's).
 *
 * @param announceInterval    how often every instance announces itself (and its readiness)
 * @param instanceExpiry      an instance not heard from for this long is forgotten
 * @param tick                how often stalls, expiries and ejections that ran out are checked
 * @param consecutiveFailures failed attempts in a row (timeout, no handler, 5xx) that eject an instance
 * @param baseEjection        the first ejection's length; the n-th lasts n times as long
 * @param maxEjection         the longest ejection
 * @param stallAfter          an instance with requests in flight that answered nothing for this long
 *                            is probed; if the probe fails too, it is ejected at once and its
 *                            idempotent requests go to another instance
 * @param probeTimeout        how long a probe (a ping to the instance's own address) may take
 */
public record BalancerConfig(Duration announceInterval, Duration instanceExpiry, Duration tick, int consecutiveFailures,
                             Duration baseEjection, Duration maxEjection, Duration stallAfter, Duration probeTimeout) {

  public static BalancerConfig from(Settings s) {
    BalancerConfig config = new BalancerConfig(
        s.millis("INSTANCE_ANNOUNCE_MS", 50, 60_000),
        s.millis("INSTANCE_EXPIRY_MS", 100, 600_000),
        s.millis("BALANCER_TICK_MS", 10, 10_000),
        s.integer("OUTLIER_CONSECUTIVE_FAILURES", 1, 1000),
        s.millis("OUTLIER_BASE_EJECTION_MS", 10, 600_000),
        s.millis("OUTLIER_MAX_EJECTION_MS", 10, 3_600_000),
        s.millis("OUTLIER_STALL_MS", 10, 600_000),
        s.millis("OUTLIER_PROBE_TIMEOUT_MS", 10, 600_000));
    if (config.instanceExpiry.compareTo(config.announceInterval.multipliedBy(2)) < 0) {
      throw new ConfigException("Invalid configuration: INSTANCE_EXPIRY_MS=" + config.instanceExpiry.toMillis()
          + " must be at least twice INSTANCE_ANNOUNCE_MS=" + config.announceInterval.toMillis()
          + ", or one late announcement forgets a live instance");
    }
    if (config.maxEjection.compareTo(config.baseEjection) < 0) {
      throw new ConfigException("Invalid configuration: OUTLIER_MAX_EJECTION_MS=" + config.maxEjection.toMillis()
          + " is shorter than OUTLIER_BASE_EJECTION_MS=" + config.baseEjection.toMillis());
    }
    return config;
  }
}
