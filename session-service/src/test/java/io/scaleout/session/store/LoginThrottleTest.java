package io.scaleout.session.store;

import io.scaleout.common.bus.FailureCode;
import io.scaleout.common.bus.Problem;
import io.scaleout.common.bus.ServiceException;
import io.scaleout.common.redis.BoundedRedis;
import io.scaleout.testsupport.Await;
import io.scaleout.testsupport.RedisServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sign-in throttle on a private redis-server: per account and address together, a doubling
 * back-off past the limit, an address's failures over all accounts, attempts counted as they are
 * let through (so a burst at once cannot pass the limit), and taken back when never decided.
 * Each test has keys of its own.
 */
class LoginThrottleTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  /** 3 failures per pair, 6 per address; back-off 1.5 s doubling to 6 s (margins a busy runner keeps). */
  private static final ThrottleConfig CONFIG = new ThrottleConfig(3, 6, Duration.ofSeconds(60), Duration.ofMillis(1500),
      Duration.ofSeconds(6));
  private static RedisServer redis;
  private static Vertx vertx;
  private static BoundedRedis client;

  @BeforeAll
  static void start() {
    redis = RedisServer.start();
    vertx = Vertx.vertx();
    client = new BoundedRedis(Redis.createClient(vertx, redis.url()), Duration.ofSeconds(2));
  }

  @AfterAll
  static void stop() {
    Await.result(vertx.close(), WAIT);
    redis.close();
  }

  private static LoginThrottle throttle() {
    return new LoginThrottle(client, "test-" + UUID.randomUUID() + ":", CONFIG);
  }

  private static void failOnce(LoginThrottle throttle, String email, String address) {
    Await.result(throttle.attempt(email, address), WAIT);
    Await.result(throttle.failed(email, address), WAIT);
  }

  /** The 429 of a refused attempt, or null when it was let through. */
  private static ServiceException refusal(Future<Void> attempt) {
    try {
      Await.result(attempt, WAIT);
      return null;
    } catch (RuntimeException e) {
      Throwable cause = e instanceof ServiceException ? e : e.getCause();
      assertThat(cause).isInstanceOf(ServiceException.class);
      ServiceException refused = (ServiceException) cause;
      assertThat(refused.code()).isEqualTo(FailureCode.RATE_LIMITED);
      return refused;
    }
  }

  @Test
  void pastThePairsLimitEachAttemptWaitsABackOffThatDoublesWithEveryFailure() throws Exception {
    LoginThrottle throttle = throttle();
    for (int i = 0; i < 3; i++) {
      failOnce(throttle, "owner@example.org", "10.0.0.1");
    }
    ServiceException refused = refusal(throttle.attempt("owner@example.org", "10.0.0.1"));
    assertThat(refused).as("the fourth attempt right after the third failure").isNotNull();
    assertThat(refused.extensions().getLong(Problem.RETRY_AFTER)).as("1.5 s, in whole seconds").isEqualTo(2L);

    Thread.sleep(1700);
    failOnce(throttle, "owner@example.org", "10.0.0.1");
    assertThat(refusal(throttle.attempt("owner@example.org", "10.0.0.1"))).as("the back-off runs from the last failure").isNotNull();
    Thread.sleep(1700);
    assertThat(refusal(throttle.attempt("owner@example.org", "10.0.0.1"))).as("doubled to 3 s after another failure").isNotNull();
    Thread.sleep(1700);
    assertThat(refusal(throttle.attempt("owner@example.org", "10.0.0.1"))).as("let through once it has passed").isNull();
  }

  @Test
  void failingOnPurposeFromElsewhereDoesNotLockTheOwnerOut() {
    LoginThrottle throttle = throttle();
    for (int i = 0; i < 3; i++) {
      failOnce(throttle, "owner@example.org", "203.0.113.9");
    }
    assertThat(refusal(throttle.attempt("owner@example.org", "203.0.113.9"))).isNotNull();
    assertThat(refusal(throttle.attempt("owner@example.org", "10.0.0.1"))).as("the owner, from another address").isNull();
  }

  @Test
  void anAddressFailingOverManyAccountsIsRefusedForAllOfThem() {
    LoginThrottle throttle = throttle();
    for (int i = 0; i < 6; i++) {
      failOnce(throttle, "user" + i + "@example.org", "198.51.100.7");
    }
    assertThat(refusal(throttle.attempt("fresh@example.org", "198.51.100.7"))).as("a seventh account from that address").isNotNull();
    assertThat(refusal(throttle.attempt("fresh@example.org", "10.0.0.1"))).as("the same account from elsewhere").isNull();
  }

  @Test
  void attemptsSentAtOnceAreCountedAsTheyAreLetThroughSoNoMoreThanTheLimitPass() {
    LoginThrottle throttle = throttle();
    List<Future<Void>> burst = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      burst.add(throttle.attempt("owner@example.org", "10.0.0.2"));
    }
    Await.result(Future.join(burst).otherwiseEmpty(), WAIT);
    assertThat(burst.stream().filter(Future::succeeded).count()).isEqualTo(3);
  }

  @Test
  void anUndecidedAttemptIsTakenBackAndASuccessStartsThePairAfresh() {
    LoginThrottle throttle = throttle();
    failOnce(throttle, "owner@example.org", "10.0.0.3");
    failOnce(throttle, "owner@example.org", "10.0.0.3");
    for (int i = 0; i < 5; i++) {
      // the session store was down: the attempt decided nothing
      Await.result(throttle.attempt("owner@example.org", "10.0.0.3"), WAIT);
      Await.result(throttle.undecided("owner@example.org", "10.0.0.3"), WAIT);
    }
    Await.result(throttle.attempt("owner@example.org", "10.0.0.3"), WAIT);
    Await.result(throttle.succeeded("owner@example.org", "10.0.0.3"), WAIT);
    for (int i = 0; i < 3; i++) {
      assertThat(refusal(throttle.attempt("owner@example.org", "10.0.0.3"))).as("attempt %d after the success", i).isNull();
    }
  }

  @Test
  void withRedisDownAnAttemptFailsWithinTheBoundInsteadOfPassing() {
    LoginThrottle throttle = throttle();
    redis.kill();
    try {
      long start = System.nanoTime();
      Throwable failure = Await.failure(throttle.attempt("owner@example.org", "10.0.0.4"), WAIT);
      assertThat(failure).isNotNull();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    } finally {
      redis.restart();
    }
    assertThat(refusal(throttle.attempt("owner@example.org", "10.0.0.4"))).as("back once Redis is").isNull();
  }
}
