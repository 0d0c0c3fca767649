package io.scaleout.session.store;

import io.scaleout.common.config.Settings;

import java.time.Duration;

/**
 * Brute-force throttling of sign-ins.
 *
 * @param pairLimit    failed sign-ins of one account from one address before each further attempt waits
 * @param addressLimit failed sign-ins from one address, over all accounts, within the window before 429
 * @param window       how long failures count after the last one
 * @param backoffBase  the wait after the pair's limit is reached; it doubles with each further failure
 * @param backoffMax   the longest wait
 */
public record ThrottleConfig(int pairLimit, int addressLimit, Duration window, Duration backoffBase, Duration backoffMax) {

  public static ThrottleConfig from(Settings s) {
    return new ThrottleConfig(
        s.integer("LOGIN_FAILURE_LIMIT", 1, 1_000_000),
        s.integer("LOGIN_ADDRESS_FAILURE_LIMIT", 1, 1_000_000),
        Duration.ofSeconds(s.integer("LOGIN_FAILURE_WINDOW_SECONDS", 1, 86_400)),
        s.millis("LOGIN_BACKOFF_BASE_MS", 1, 3_600_000),
        Duration.ofSeconds(s.integer("LOGIN_BACKOFF_MAX_SECONDS", 1, 86_400)));
  }
}
