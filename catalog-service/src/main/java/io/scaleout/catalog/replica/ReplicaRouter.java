package io.scaleout.catalog.replica;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.scaleout.catalog.db.DatabaseGuard;
import io.scaleout.catalog.db.GuardConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Query offloading: reads go round-robin to the replicas that are healthy — reachable, in
 * recovery, and replaying within {@code maxLag} of the primary — and to the primary when none is.
 * A replica read that fails is retried on the primary at once, so a replica going away fails no
 * request; a read that fails on its own values ({@link ReadFailures}) is neither retried nor held
 * against the replica. Products written in the last {@code maxLag} (plus two checks) are read from the primary,
 * so a writer reading back sees its write even while a replica lags. Every read goes through its
 * database's {@link DatabaseGuard} (a timeout and a breaker); the checks do not, as they are what
 * tells a replica back in.
 */
public final class ReplicaRouter implements ReadRouter {
  private static final Logger log = LoggerFactory.getLogger(ReplicaRouter.class);
  private static final String PRIMARY_POSITION = "SELECT pg_current_wal_lsn()::text AS lsn";
  private static final String REPLICA_STATE =
      "SELECT pg_is_in_recovery() AS standby, coalesce(pg_last_wal_replay_lsn(), '0/0')::text AS replayed";

  /** One replica and what the last check found. */
  public static final class Replica {
    private final String name;
    private final SqlClient client;
    private final DatabaseGuard guard;
    private volatile boolean healthy;
    private volatile long lagMillis = -1;
    private final Deque<long[]> primarySamples = new ArrayDeque<>();

    Replica(String name, SqlClient client, DatabaseGuard guard) {
      this.name = name;
      this.client = client;
      this.guard = guard;
    }

    public String name() {
      return name;
    }

    public boolean healthy() {
      return healthy;
    }

    public long lagMillis() {
      return lagMillis;
    }
  }

  private final Vertx vertx;
  private final SqlClient primary;
  private final DatabaseGuard primaryGuard;
  private final Duration readTimeout;
  private final List<Replica> replicas;
  private final Duration maxLag;
  private final Duration checkInterval;
  private final AtomicInteger next = new AtomicInteger();
  private final Map<Long, Long> recentWrites = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> served = new ConcurrentHashMap<>();
  private long timer = -1;

  public ReplicaRouter(Vertx vertx, SqlClient primary, DatabaseGuard primaryGuard, Map<String, SqlClient> replicas,
                       GuardConfig guards, Duration maxLag, Duration checkInterval) {
    this.vertx = vertx;
    this.primary = primary;
    this.primaryGuard = primaryGuard;
    this.readTimeout = guards.readTimeout();
    this.replicas = replicas.entrySet().stream()
        .map(e -> new Replica(e.getKey(), e.getValue(), new DatabaseGuard(vertx, e.getKey(), guards))).toList();
    this.maxLag = maxLag;
    this.checkInterval = checkInterval;
  }

  /** Checks every replica now, then every {@code checkInterval}. */
  public Future<Void> start() {
    if (replicas.isEmpty()) {
      return Future.succeededFuture();
    }
    timer = vertx.setPeriodic(checkInterval.toMillis(), id -> checkAll());
    return checkAll();
  }

  public void stop() {
    vertx.cancelTimer(timer);
  }

  public List<Replica> replicas() {
    return replicas;
  }

  /**
   * catalog_reads_total{target}, catalog_replica_healthy{replica} (1 in the rotation, else 0) and
   * catalog_replica_lag_seconds{replica} (-1 when unknown).
   */
  public void bindTo(MeterRegistry registry) {
    readsOf(registry, "primary");
    for (Replica replica : replicas) {
      readsOf(registry, replica.name);
      replica.guard.bindTo(registry);
      Gauge.builder("catalog.replica.healthy", replica, r -> r.healthy ? 1 : 0).tag("replica", replica.name)
          .description("1 while the replica is in the read rotation").register(registry);
      Gauge.builder("catalog.replica.lag", replica, r -> r.lagMillis < 0 ? -1 : r.lagMillis / 1000.0).tag("replica", replica.name)
          .baseUnit("seconds").description("Replay lag behind the primary at the last check").register(registry);
    }
  }

  private void readsOf(MeterRegistry registry, String target) {
    AtomicLong counter = served.computeIfAbsent(target, t -> new AtomicLong());
    FunctionCounter.builder("catalog.reads", counter, AtomicLong::get).tag("target", target)
        .description("Reads by where they ran").register(registry);
  }

  /** Reads served per target ("primary" or a replica's host:port) since start. */
  public Map<String, Long> servedCounts() {
    Map<String, Long> counts = new java.util.TreeMap<>();
    served.forEach((target, count) -> counts.put(target, count.get()));
    return counts;
  }

  @Override
  public Future<RowSet<Row>> readProduct(long productId, String sql, Tuple params) {
    Long writtenAt = recentWrites.get(productId);
    if (writtenAt != null) {
      if (System.nanoTime() - writtenAt < readYourWritesWindow().toNanos()) {
        return onPrimary(sql, params);
      }
      recentWrites.remove(productId, writtenAt);
    }
    return read(sql, params);
  }

  @Override
  public Future<RowSet<Row>> read(String sql, Tuple params) {
    Replica replica = pick();
    if (replica == null) {
      return onPrimary(sql, params);
    }
    count(replica.name);
    // one read's time covers the fall-back too: a replica that does not answer gets half of it
    long started = System.nanoTime();
    return replica.guard.read(readTimeout.dividedBy(2), () -> replica.client.preparedQuery(sql).execute(params)).recover(failure -> {
      if (!ReadFailures.isReplicaFault(failure)) {
        // the request's own error: the replica is fine, and the primary would refuse it too
        return Future.failedFuture(failure);
      }
      if (replica.healthy) {
        replica.healthy = false;
        log.warn("Replica {} failed a read ({}); out of rotation until its next good check", replica.name, failure.getMessage());
      }
      Duration left = readTimeout.minusNanos(System.nanoTime() - started);
      return onPrimary(sql, params, left.isNegative() || left.isZero() ? Duration.ofMillis(1) : left);
    });
  }

  @Override
  public void written(long productId) {
    if (!replicas.isEmpty()) {
      recentWrites.put(productId, System.nanoTime());
    }
  }

  private Duration readYourWritesWindow() {
    return maxLag.plus(checkInterval.multipliedBy(2));
  }

  private Future<RowSet<Row>> onPrimary(String sql, Tuple params) {
    return onPrimary(sql, params, readTimeout);
  }

  private Future<RowSet<Row>> onPrimary(String sql, Tuple params, Duration timeout) {
    count("primary");
    return primaryGuard.read(timeout, () -> primary.preparedQuery(sql).execute(params));
  }

  private void count(String target) {
    served.computeIfAbsent(target, t -> new AtomicLong()).incrementAndGet();
  }

  private Replica pick() {
    int size = replicas.size();
    for (int i = 0; i < size; i++) {
      Replica candidate = replicas.get(Math.floorMod(next.getAndIncrement(), size));
      if (candidate.healthy) {
        return candidate;
      }
    }
    return null;
  }

  private Future<Void> checkAll() {
    long timeout = Math.max(checkInterval.toMillis() * 4, 1000);
    return primary.query(PRIMARY_POSITION).execute()
        .timeout(timeout, TimeUnit.MILLISECONDS)
        .map(rows -> lsn(rows.iterator().next().getString("lsn")))
        .compose(primaryLsn -> Future.join(replicas.stream().map(r -> check(r, primaryLsn, timeout)).toList()))
        .<Void>mapEmpty()
        .otherwise(failure -> {
          log.warn("Replica check skipped: primary position unknown ({})", failure.getMessage());
          return null;
        });
  }

  private Future<Void> check(Replica replica, long primaryLsn, long timeout) {
    long now = System.nanoTime();
    synchronized (replica.primarySamples) {
      replica.primarySamples.addLast(new long[] {now, primaryLsn});
      while (replica.primarySamples.size() > 2 && now - replica.primarySamples.peekFirst()[0] > maxLag.toNanos() * 4) {
        replica.primarySamples.removeFirst();
      }
    }
    return replica.client.query(REPLICA_STATE).execute().timeout(timeout, TimeUnit.MILLISECONDS).transform(ar -> {
      boolean healthy;
      if (ar.failed()) {
        replica.lagMillis = -1;
        healthy = false;
      } else {
        Row row = ar.result().iterator().next();
        long lag = lagMillis(replica, lsn(row.getString("replayed")), now);
        replica.lagMillis = lag;
        healthy = row.getBoolean("standby") && lag <= maxLag.toMillis();
      }
      if (healthy != replica.healthy) {
        log.info("Replica {} {} (lag {} ms{})", replica.name, healthy ? "joins the rotation" : "leaves the rotation",
            replica.lagMillis, ar.failed() ? ", " + ar.cause().getMessage() : "");
      }
      replica.healthy = healthy;
      return Future.succeededFuture();
    });
  }

  /** Time since the oldest primary position sample the replica has not replayed yet; 0 when caught up. */
  private static long lagMillis(Replica replica, long replayed, long now) {
    synchronized (replica.primarySamples) {
      for (long[] sample : replica.primarySamples) {
        if (sample[1] > replayed) {
          return TimeUnit.NANOSECONDS.toMillis(now - sample[0]);
        }
      }
    }
    return 0;
  }

  /** A WAL position "16/B374D848" as a number. */
  static long lsn(String text) {
    int slash = text.indexOf('/');
    return (Long.parseLong(text.substring(0, slash), 16) << 32) | Long.parseLong(text.substring(slash + 1), 16);
  }
}
