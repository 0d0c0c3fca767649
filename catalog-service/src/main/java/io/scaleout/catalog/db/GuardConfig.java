package io.scaleout.catalog.db;

import io.scaleout.common.config.Settings;

import java.time.Duration;

/**
 * How the catalog guards its calls to each database ({@link DatabaseGuard}).
 *
 * @param readTimeout     longest a read may take
 * @param writeTimeout    longest a whole write transaction may take (a bulk import is bounded by the
 *                        statement timeout instead)
 * @param breakerFailures calls in a row the database did not answer that open its breaker
 * @param breakerReset    how long an open breaker refuses calls before a trial
 */
public record GuardConfig(Duration readTimeout, Duration writeTimeout, int breakerFailures, Duration breakerReset) {

  public static GuardConfig from(Settings s) {
    return new GuardConfig(
        s.millis("DB_READ_TIMEOUT_MS", 10, 600_000),
        s.millis("DB_WRITE_TIMEOUT_MS", 10, 600_000),
        s.integer("DB_BREAKER_FAILURES", 1, 10_000),
        s.millis("DB_BREAKER_RESET_MS", 10, 600_000));
  }
}
