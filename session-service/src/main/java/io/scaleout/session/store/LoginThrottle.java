package io.scaleout.session.store;

import io.scaleout.common.api.ClientNetworks;
import io.scaleout.common.redis.BoundedRedis;
import io.scaleout.common.bus.FailureCode;
import io.scaleout.common.bus.Problem;
import io.scaleout.common.bus.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;

import java.util.Locale;

/**
 * Brute-force throttling, in Redis. Sign-ins are counted per account and client address together,
 * so someone failing on purpose from elsewhere cannot lock the owner out; past the pair's limit
 * each further attempt waits a back-off from the last failure that doubles with every failure (a
 * guesser slows to a crawl, nobody is locked for good). An attempt is counted as it is let through,
 * in the script that checks the limits, and taken back when it succeeds or was never decided (a
 * dependency failed): checked first and counted after its password was hashed, 50 wrong passwords
 * sent at once all passed the check and got 50 answers of 401. An address also counts its failures
 * over all accounts (credential stuffing), with a limit high enough for many people behind one
 * address. Refusals are 429 with Retry-After, for a correct password too.
 */
public final class LoginThrottle {
  /** ms now by Redis's clock, and the back-off after n attempts (ARGV[2] limit, ARGV[3] base ms, ARGV[4] max ms). */
  private static final String CLOCK_AND_BACKOFF = String.join("\n",
      "local t = redis.call('TIME')",
      "local now = t[1] * 1000 + math.floor(t[2] / 1000)",
      "local window, limit, base, max = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])",
      "local function backoff(n) if n < limit then return 0 end return math.min(max, base * 2 ^ (n - limit)) end",
      // integers as integers: Lua would write a large float in exponent form, which Redis refuses
      "local function int(x) return string.format('%d', math.floor(x)) end");
  /**
   * KEYS: the pair's hash {n: attempts let through, last: ms of the last failure}, the address's
   * failure counter; ARGV: window ms, pair limit, back-off base ms, back-off max ms, address limit.
   * Answers 0 and counts the attempt, or the ms to wait.
   */
  private static final String ATTEMPT = String.join("\n", CLOCK_AND_BACKOFF,
      "if tonumber(redis.call('GET', KEYS[2]) or '0') >= tonumber(ARGV[5]) then",
      "  return math.max(redis.call('PTTL', KEYS[2]), 1)",
      "end",
      "local n = tonumber(redis.call('HGET', KEYS[1], 'n') or '0')",
      // attempts still being decided have no failure time yet: they count as just now
      "local last = tonumber(redis.call('HGET', KEYS[1], 'last') or now)",
      "local wait = last + backoff(n) - now",
      "if wait > 0 then return math.max(1, math.floor(wait)) end",
      "redis.call('HINCRBY', KEYS[1], 'n', 1)",
      "redis.call('PEXPIRE', KEYS[1], int(window + backoff(n + 1)))",
      "return 0");
  /**
   * KEYS: the pair's hash, the address's counter; ARGV as {@link #ATTEMPT}. Records a failure: the
   * pair's back-off runs from now, and it is forgotten a window after the back-off ends.
   */
  private static final String FAILED = String.join("\n", CLOCK_AND_BACKOFF,
      "local n = tonumber(redis.call('HGET', KEYS[1], 'n') or '0')",
      "redis.call('HSET', KEYS[1], 'last', int(now))",
      "redis.call('PEXPIRE', KEYS[1], int(window + backoff(n)))",
      "if redis.call('INCR', KEYS[2]) == 1 then redis.call('PEXPIRE', KEYS[2], ARGV[1]) end",
      "return 0");
  /** Takes an attempt back from the pair, if it still exists. */
  private static final String RELEASE =
      "if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HINCRBY', KEYS[1], 'n', -1) end return 0";

  private final BoundedRedis redis;
  private final String prefix;
  private final ThrottleConfig config;

  public LoginThrottle(BoundedRedis redis, String prefix, ThrottleConfig config) {
    this.redis = redis;
    this.prefix = prefix + "login-failures:";
    this.config = config;
  }

  /** Counts a sign-in attempt; fails with 429 (counting nothing) while the pair waits or the address is at its limit. */
  public Future<Void> attempt(String email, String address) {
    return redis.send(script(ATTEMPT, email, address)).compose(reply -> {
          long wait = reply.toLong();
          if (wait <= 0) {
            return Future.succeededFuture();
          }
          long seconds = Math.max(1, (wait + 999) / 1000);
          return Future.failedFuture(new ServiceException(FailureCode.RATE_LIMITED,
              "Too many failed sign-ins; retry in " + seconds + " s", new JsonObject().put(Problem.RETRY_AFTER, seconds)));
        });
  }

  /** A wrong password: the pair's attempt stays counted and its back-off starts now; the address counts a failure. */
  public Future<Void> failed(String email, String address) {
    return redis.send(script(FAILED, email, address)).mapEmpty();
  }

  private Request script(String script, String email, String address) {
    return Request.cmd(Command.EVAL).arg(script).arg(2).arg(pairKey(email, address)).arg(addressKey(address))
        .arg(config.window().toMillis()).arg(config.pairLimit()).arg(config.backoffBase().toMillis())
        .arg(config.backoffMax().toMillis()).arg(config.addressLimit());
  }

  /** A right password: the pair starts afresh. */
  public Future<Void> succeeded(String email, String address) {
    return redis.send(Request.cmd(Command.DEL).arg(pairKey(email, address))).mapEmpty();
  }

  /** An attempt that was never decided (a dependency failed): it does not count. */
  public Future<Void> undecided(String email, String address) {
    return redis.send(Request.cmd(Command.EVAL).arg(RELEASE).arg(1).arg(pairKey(email, address))).mapEmpty();
  }

  private String pairKey(String email, String address) {
    return prefix + "pair:" + email.toLowerCase(Locale.ROOT) + "|" + ClientNetworks.limitKey(address);
  }

  private String addressKey(String address) {
    return prefix + "address:" + ClientNetworks.limitKey(address);
  }
}
