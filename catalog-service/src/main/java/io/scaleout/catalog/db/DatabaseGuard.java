package io.scaleout.catalog.db;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.scaleout.common.bus.FailureCode;
import io.scaleout.common.bus.ServiceException;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Every call to one database (the primary, or a replica) bounded in time and guarded by a breaker.
 * A database that stalls, refuses connections or goes away would otherwise hold each request for
 * its whole timeout, the pool's queue would grow, and the gateway would give up first (504): with the
 * guard a read answers within DB_READ_TIMEOUT_MS and a write within DB_WRITE_TIMEOUT_MS (both under
 * the gateway's time for an attempt), and after DB_BREAKER_FAILURES such failures in a
 * row the database is not asked for DB_BREAKER_RESET_MS, its callers getting a 503 (which the gateway
 * passes on with Retry-After, and which ejects no catalog instance: they all share the database) at
 * once; then one trial call decides. A failure the server answered with (a constraint, a bad value)
 * says the database works: it counts for it, and reaches the caller as it was.
 */
public final class DatabaseGuard {
  private static final Logger log = LoggerFactory.getLogger(DatabaseGuard.class);

  private final String name;
  private final GuardConfig config;
  private final CircuitBreaker breaker;

  public DatabaseGuard(Vertx vertx, String name, GuardConfig config) {
    this.name = name;
    this.config = config;
    // no timeout of the breaker's own: reads and writes have theirs
    this.breaker = CircuitBreaker.create("catalog-db-" + name, vertx, new CircuitBreakerOptions()
            .setMaxFailures(config.breakerFailures())
            .setTimeout(-1)
            .setResetTimeout(config.breakerReset().toMillis())
            .setNotificationAddress(null))
        .failurePolicy(call -> call.failed() && unreachable(call.cause()))
        .openHandler(v -> log.warn("Database {} breaker open: refusing its calls at once for now", name))
        .halfOpenHandler(v -> log.info("Database {} breaker half open: one trial call", name))
        .closeHandler(v -> log.info("Database {} breaker closed: calls go through again", name));
  }

  /** A read within {@code timeout} (at most DB_READ_TIMEOUT_MS), unless the breaker is open; the database's faults as a 503. */
  public <T> Future<T> read(Duration timeout, Supplier<Future<T>> read) {
    return call(timeout, read);
  }

  /** A write transaction: within DB_WRITE_TIMEOUT_MS (it may still commit after), else as {@link #read}. */
  public <T> Future<T> write(Supplier<Future<T>> write) {
    return call(config.writeTimeout(), write);
  }

  private <T> Future<T> call(Duration timeout, Supplier<Future<T>> call) {
    return breaker.<T>execute(() -> call.get().timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)).recover(failure -> Future.failedFuture(unreachable(failure)
        ? new ServiceException(FailureCode.UNAVAILABLE, "The catalog database (" + name + ") is unavailable: " + reason(failure))
        : failure));
  }

  /** catalog_db_breaker_open{database}: 1 while the breaker is open (calls refused at once) or half open (one trial). */
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("catalog.db.breaker.open", this, g -> g.breaker.state() == CircuitBreakerState.CLOSED ? 0 : 1)
        .tag("database", name).description("1 while the database's breaker is open or half open").register(registry);
  }

  /**
   * The database did not answer: no connection, a lost connection, a timeout, the breaker open, or
   * the server refusing work as a whole (SQLSTATE classes 08 connection, 53 resources, 57 operator
   * intervention: shutting down, starting up). A programming error of the caller's is none of these.
   */
  static boolean unreachable(Throwable failure) {
    if (failure instanceof ServiceException || failure instanceof NullPointerException
        || failure instanceof IllegalArgumentException || failure instanceof ClassCastException
        || failure instanceof IndexOutOfBoundsException || failure instanceof java.util.NoSuchElementException) {
      return false;
    }
    if (failure instanceof PgException pg) {
      String state = pg.getSqlState();
      return state != null && (state.startsWith("08") || state.startsWith("53") || state.startsWith("57"));
    }
    return true;
  }

  private static String reason(Throwable failure) {
    if (failure instanceof OpenCircuitException) {
      return "its breaker is open after repeated failures";
    }
    if (failure instanceof TimeoutException) {
      return "no answer in time";
    }
    return String.valueOf(failure.getMessage());
  }
}
