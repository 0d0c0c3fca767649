package io.scaleout.worker.job;

import io.scaleout.common.config.Settings;
import io.scaleout.common.db.DatabaseConfig;
import io.scaleout.common.db.Databases;
import io.scaleout.testsupport.Await;
import io.scaleout.testsupport.PostgresDatabases;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;

import java.time.Duration;
import java.util.Map;

/** A real Postgres database of a test's own, migrated as the worker does at start, with its job store; dropped at close. */
final class JobDatabase implements AutoCloseable {
  private final String name;
  private final Vertx vertx;
  private final Pool pool;
  private final JobStore jobs;

  private JobDatabase(String name, Vertx vertx, Pool pool) {
    this.name = name;
    this.vertx = vertx;
    this.pool = pool;
    this.jobs = new JobStore(pool);
  }

  static JobDatabase start(String prefix) {
    String name = PostgresDatabases.uniqueName(prefix);
    Vertx vertx = Vertx.vertx();
    DatabaseConfig config = DatabaseConfig.from(Settings.load("worker", Map.of("DB_NAME", name)));
    await(Databases.prepare(vertx, config, "worker"));
    return new JobDatabase(name, vertx, Databases.primaryPool(vertx, config));
  }

  static <T> T await(Future<T> future) {
    return Await.result(future, Duration.ofSeconds(30));
  }

  Vertx vertx() {
    return vertx;
  }

  JobStore jobs() {
    return jobs;
  }

  @Override
  public void close() {
    await(pool.close());
    await(vertx.close());
    PostgresDatabases.drop(name);
  }
}
