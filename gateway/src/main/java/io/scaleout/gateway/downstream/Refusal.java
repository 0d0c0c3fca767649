package io.scaleout.gateway.downstream;

import io.scaleout.common.bus.Problem;

/**
 * A call the gateway refused without sending it: the service's breaker is open, or its bulkhead
 * is full. Carries the problem to answer with and how long the client should wait.
 */
public final class Refusal extends RuntimeException {
  private final transient Problem problem;
  private final long retryAfterSeconds;

  Refusal(Problem problem, long retryAfterSeconds) {
    super(problem.detail(), null, false, false);
    this.problem = problem;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public Problem problem() {
    return problem;
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
