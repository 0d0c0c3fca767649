package io.scaleout.common.db;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Start-up of a service's database: create it when missing, apply the versioned migrations
 * (Flyway, from {@code db/migration/<service>} on the classpath), and build the clients: a
 * transactional pool and a pipelined client per server.
 */
public final class Databases {
  private static final Logger log = LoggerFactory.getLogger(Databases.class);
  private static final int FIRST_CONTACT_ATTEMPTS = 3;
  private static final long FIRST_CONTACT_PAUSE_MS = 1_000;
  private static final Pattern SAFE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  private Databases() {
  }

  public static PgConnectOptions connectOptions(DatabaseConfig config, String host, int port) {
    return new PgConnectOptions()
        .setHost(host)
        .setPort(port)
        .setDatabase(config.name())
        .setUser(config.user())
        .setPassword(config.password())
        .setCachePreparedStatements(true)
        .addProperty("statement_timeout", Long.toString(config.statementTimeout().toMillis()))
        .setPipeliningLimit(config.pipeliningLimit());
  }

  private static PoolOptions poolOptions(DatabaseConfig config, String name) {
    return new PoolOptions()
        .setMaxSize(config.poolSize())
        .setMaxWaitQueueSize(config.poolSize() * 64)
        .setConnectionTimeout((int) config.connectTimeout().toMillis())
        .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS)
        .setName(name)
        .setShared(true);
  }

  /** A pool of the primary for transactions (a transaction holds one connection). */
  public static Pool primaryPool(Vertx vertx, DatabaseConfig config) {
    return PgBuilder.pool()
        .with(poolOptions(config, "primary-" + config.name()))
        .connectingTo(connectOptions(config, config.host(), config.port()))
        .using(vertx)
        .build();
  }

  /** A pooled client that pipelines single statements over its connections. */
  public static SqlClient pipelinedClient(Vertx vertx, DatabaseConfig config, String host, int port) {
    return PgBuilder.client()
        .with(poolOptions(config, "pipelined-" + host + ":" + port + "-" + config.name()))
        .connectingTo(connectOptions(config, host, port))
        .using(vertx)
        .build();
  }

  /**
   * Creates the database when missing, then migrates it, on a worker thread (Flyway speaks JDBC).
   * Fails with a message naming the server and database.
   */
  public static Future<Void> prepare(Vertx vertx, DatabaseConfig config, String migrations) {
    if (!SAFE_NAME.matcher(config.name()).matches()) {
      return Future.failedFuture(new IllegalArgumentException("DB_NAME '" + config.name() + "' must match " + SAFE_NAME));
    }
    return reachable(vertx, config, FIRST_CONTACT_ATTEMPTS)
        .compose(v -> vertx.executeBlocking(() -> migrate(config, migrations), false))
        .recover(failure -> Future.failedFuture(new IllegalStateException("Database " + config.name() + " at "
            + config.primaryAddress() + " is not usable: " + failure.getMessage(), failure)));
  }

  /**
   * The first contact, a few times: a process starting on a machine busy with its siblings (a
   * rolling restart under load) can miss one connect timeout without the database being gone.
   */
  private static Future<Void> reachable(Vertx vertx, DatabaseConfig config, int attempts) {
    return createIfMissing(vertx, config).recover(failure -> {
      if (attempts <= 1) {
        return Future.failedFuture(failure);
      }
      log.warn("Database {} at {} not reachable yet ({}); trying again", config.name(), config.primaryAddress(),
          failure.getMessage());
      return vertx.timer(FIRST_CONTACT_PAUSE_MS).compose(t -> reachable(vertx, config, attempts - 1));
    });
  }

  private static Future<Void> createIfMissing(Vertx vertx, DatabaseConfig config) {
    PgConnectOptions admin = connectOptions(config, config.host(), config.port()).setDatabase("postgres");
    SqlClient client = PgBuilder.client().with(poolOptions(config, "admin-" + config.name()).setMaxSize(1).setShared(false))
        .connectingTo(admin).using(vertx).build();
    return client.preparedQuery("SELECT 1 FROM pg_database WHERE datname = $1").execute(Tuple.of(config.name()))
        .compose(rows -> {
          if (rows.size() > 0) {
            return Future.succeededFuture();
          }
          log.info("Creating database {} on {}", config.name(), config.primaryAddress());
          // CREATE DATABASE takes no parameters; the name was checked against SAFE_NAME above
          return client.query("CREATE DATABASE " + config.name()).execute()
              .<Void>mapEmpty()
              .recover(failure -> failure.getMessage() != null && failure.getMessage().contains("already exists")
                  ? Future.succeededFuture() : Future.failedFuture(failure));
        })
        .eventually(client::close);
  }

  private static Void migrate(DatabaseConfig config, String migrations) {
    Flyway flyway = Flyway.configure()
        .dataSource(config.jdbcUrl(config.name()), config.user(), config.password())
        .locations("classpath:db/migration/" + migrations)
        .connectRetries(3)
        .load();
    MigrateResult result = flyway.migrate();
    log.info("Database {} at schema version {} ({} migrations applied now)", config.name(),
        flyway.info().current().getVersion(), result.migrationsExecuted);
    return null;
  }
}
