package io.scaleout.session.store;

import io.scaleout.common.redis.BoundedRedis;
import io.scaleout.common.bus.FailureCode;
import io.scaleout.common.bus.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.time.Duration;
import java.util.Locale;

/**
 * Brute-force throttling: failed logins counted per account and per client address in Redis, each
 * counter expiring a window after its first failure. Over the limit, every login for that account
 * or address is refused with 429 and Retry-After — a correct password too — until the window ends.
 */
public final class LoginThrottle {
  /** INCR, and start the window on the first failure: one atomic round trip. */
  private static final String COUNT_FAILURE =
      "local n = redis.call('INCR', KEYS[1]) if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end return n";

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

  /** Fails with 429 when the account or the address is over the limit. */
  public Future<Void> check(String email, String address) {
    return Future.all(retryAfterMillis(accountKey(email)), retryAfterMillis(addressKey(address))).compose(all -> {
      long wait = Math.max(all.<Long>resultAt(0), all.<Long>resultAt(1));
      if (wait <= 0) {
        return Future.succeededFuture();
      }
      long seconds = Math.max(1, (wait + 999) / 1000);
      return Future.failedFuture(new ServiceException(FailureCode.RATE_LIMITED,
          "Too many failed sign-ins; retry in " + seconds + " s", new JsonObject().put("retryAfter", seconds)));
    });
  }

  public Future<Void> failed(String email, String address) {
    return Future.all(count(accountKey(email)), count(addressKey(address))).mapEmpty();
  }

  public Future<Void> succeeded(String email) {
    return redis.send(Request.cmd(Command.DEL).arg(accountKey(email))).mapEmpty();
  }

  /** Milliseconds until the key's window ends when it is over the limit, else 0. */
  private Future<Long> retryAfterMillis(String key) {
    return redis.send(Request.cmd(Command.GET).arg(key)).compose(count -> {
      if (count == null || count.toLong() < limit) {
        return Future.succeededFuture(0L);
      }
      return redis.send(Request.cmd(Command.PTTL).arg(key)).map(ttl -> Math.max(1L, ttl.toLong()));
    });
  }

  private Future<Response> count(String key) {
    return redis.send(Request.cmd(Command.EVAL).arg(COUNT_FAILURE).arg(1).arg(key).arg(window.toMillis()));
  }

  private String accountKey(String email) {
    return prefix + "account:" + email.toLowerCase(Locale.ROOT);
  }

  private String addressKey(String address) {
    return prefix + "address:" + address;
  }

}
