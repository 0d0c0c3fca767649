package io.scaleout.session.store;

import io.scaleout.common.redis.BoundedRedis;
import io.scaleout.common.bus.FailureCode;
import io.scaleout.common.bus.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;

import java.time.Duration;
import java.util.Locale;

/**
 * Brute-force throttling: sign-in attempts counted per account and failures per client address in
 * Redis, each counter expiring a window after its first count. An account's attempt is counted as
 * it is let through, in the same script that checks the limits, and taken back when it succeeds or
 * was never decided (a dependency failed): checked first and counted after its password was hashed,
 * 50 wrong passwords sent at once all passed the check and got 50 answers of 401. An address counts
 * failures only, so many people behind one address may sign in at once. Over either limit, every
 * sign-in for that account or address is refused with 429 and Retry-After, a correct password too,
 * until the window ends.
 */
public final class LoginThrottle {
  /**
   * KEYS: the account's and the address's counters; ARGV: window ms, limit. Answers 0 and counts the
   * attempt on the account, or the ms until the later window ends when either is at the limit.
   */
  private static final String ATTEMPT = String.join("\n",
      "local wait = 0",
      "for i = 1, 2 do",
      "  if tonumber(redis.call('GET', KEYS[i]) or '0') >= tonumber(ARGV[2]) then",
      "    wait = math.max(wait, redis.call('PTTL', KEYS[i]), 1)",
      "  end",
      "end",
      "if wait > 0 then return wait end",
      "if redis.call('INCR', KEYS[1]) == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end",
      "return 0");
  /** Counts one more, starting the window on the first. */
  private static final String COUNT =
      "if redis.call('INCR', KEYS[1]) == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end return 0";
  /** Takes an attempt back from the counter, if it still exists. */
  private static final String RELEASE = "if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('DECR', KEYS[1]) end return 0";

  private final BoundedRedis redis;
  private final String prefix;
  private final int limit;
  private final Duration window;

  public LoginThrottle(BoundedRedis redis, String prefix, int limit, Duration window) {
    this.redis = redis;
    this.prefix = prefix + "login-failures:";
    this.limit = limit;
    this.window = window;
  }

  /** Counts a sign-in attempt; fails with 429 (counting nothing) when the account or the address is at the limit. */
  public Future<Void> attempt(String email, String address) {
    return redis.send(Request.cmd(Command.EVAL).arg(ATTEMPT).arg(2).arg(accountKey(email)).arg(addressKey(address))
        .arg(window.toMillis()).arg(limit)).compose(reply -> {
          long wait = reply.toLong();
          if (wait <= 0) {
            return Future.succeededFuture();
          }
          long seconds = Math.max(1, (wait + 999) / 1000);
          return Future.failedFuture(new ServiceException(FailureCode.RATE_LIMITED,
              "Too many failed sign-ins; retry in " + seconds + " s", new JsonObject().put("retryAfter", seconds)));
        });
  }

  /** A wrong password: the account's attempt stays counted, and the address counts a failure. */
  public Future<Void> failed(String address) {
    return redis.send(Request.cmd(Command.EVAL).arg(COUNT).arg(1).arg(addressKey(address)).arg(window.toMillis())).mapEmpty();
  }

  /** A right password: the account starts afresh. */
  public Future<Void> succeeded(String email) {
    return redis.send(Request.cmd(Command.DEL).arg(accountKey(email))).mapEmpty();
  }

  /** An attempt that was never decided (a dependency failed): it does not count. */
  public Future<Void> undecided(String email) {
    return redis.send(Request.cmd(Command.EVAL).arg(RELEASE).arg(1).arg(accountKey(email))).mapEmpty();
  }

  private String accountKey(String email) {
    return prefix + "account:" + email.toLowerCase(Locale.ROOT);
  }

  private String addressKey(String address) {
    return prefix + "address:" + address;
  }

}
