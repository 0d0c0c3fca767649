package io.scaleout.common.balance;

import java.time.Duration;

/**
 * How one request is sent: its whole budget, how long one attempt may take, and whether it may be
 * tried again on another instance after a failure that may have reached the first one. A request
 * that provably reached no instance (no handler) is always tried again, within the budget.
 *
 * @param budget         the request's whole time, retries included
 * @param attemptTimeout one attempt (capped by what is left of the budget)
 * @param idempotent     may be repeated after a timeout or a 5xx
 * @param minRemaining   no new attempt with less than this left of the budget
 * @param maxAttempts    attempts in all
 * @param onRetry        told of every attempt after the first (metrics)
 */
public record CallPolicy(Duration budget, Duration attemptTimeout, boolean idempotent, Duration minRemaining, int maxAttempts,
                         Runnable onRetry) {

  /** One attempt with the whole budget, tried again only when it reached no instance. */
  public static CallPolicy once(Duration budget) {
    return new CallPolicy(budget, budget, false, Duration.ZERO, 2, () -> { });
  }

  /** May be repeated on another instance after any fault, three attempts at most within the budget. */
  public static CallPolicy idempotent(Duration budget) {
    return new CallPolicy(budget, budget, true, Duration.ZERO, 3, () -> { });
  }
}
